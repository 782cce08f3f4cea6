using System;

namespace CompiledNets.OnnxComparison;

/// <summary>CompiledNets' side: <c>Predict</c> on one thread (it never splits an image), <c>PredictBatch</c> on the workers.</summary>
internal static class CompiledNetsSide
{
    public static InferenceTiming Measure(ICompiledNetwork network, int threads, float[] images)
    {
        network.WorkerCount = threads;
        var output = new float[network.OutputSize];
        var outputs = new float[InferenceTiming.BatchSize * network.OutputSize];
        double single = InferenceTiming.MedianMicroseconds(
            () => network.Predict(images.AsSpan(0, network.InputSize), output), callsPerBlock: 2000);
        double batch = InferenceTiming.MedianMicroseconds(() => network.PredictBatch(images, outputs), callsPerBlock: 20);
        return new InferenceTiming("compilednets", single, batch / 1000);
    }
}
