using System;
using System.IO;
using Microsoft.ML.OnnxRuntime;

namespace CompiledNets.OnnxComparison;

/// <summary>
/// ONNX Runtime's side, at its fastest: all graph optimizations, inputs and outputs bound once to preallocated
/// arrays, so a timed call is one Run and nothing else. One image runs in a session of one intra-op thread, as
/// CompiledNets' Predict runs on one (two threads made ONNX Runtime slower here: 52 against 32 µs for the seed
/// network); the batch in a session of as many threads as CompiledNets has workers.
/// </summary>
internal static class OnnxRuntimeSide
{
    private const string InputName = "image", OutputName = "probabilities"; // as side_by_side_twin.py --export-onnx names them

    public static InferenceTiming Measure(string modelPath, ICompiledNetwork network, int threads, float[] images)
    {
        using InferenceSession oneThread = OpenSession(modelPath, threads: 1), allThreads = OpenSession(modelPath, threads);
        int[] dimensions = allThreads.InputMetadata[InputName].Dimensions; // [batch, channels, height, width]
        // One channel: (height, width, 1) and (1, height, width) are the same floats, so the images need no transpose.
        if (dimensions is not [_, 1, var height, var width] || height * width != network.InputSize)
            throw new InvalidDataException($"{modelPath}: input {InputName} is [{string.Join(", ", dimensions)}], expected [batch, 1, h, w] with h * w = {network.InputSize}");

        using var runOptions = new RunOptions();
        using var single = new Binding(oneThread, runOptions, images.AsMemory(0, network.InputSize), new long[] { 1, 1, height, width }, network.OutputSize);
        using var batch = new Binding(allThreads, runOptions, images, new long[] { InferenceTiming.BatchSize, 1, height, width }, network.OutputSize);
        CheckAgreement(modelPath, network, images, batch);
        double singleMicroseconds = InferenceTiming.MedianMicroseconds(single.Run, callsPerBlock: 2000);
        double batchMicroseconds = InferenceTiming.MedianMicroseconds(batch.Run, callsPerBlock: 20);
        return new InferenceTiming("onnxruntime", singleMicroseconds, batchMicroseconds / 1000);
    }

    private static InferenceSession OpenSession(string modelPath, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(modelPath, options);
    }

    /// <summary>
    /// The twin must compute what CompiledNets computes, or the timings compare different work: its probabilities
    /// of the batch must match ours to 1e-4 (float32 sums of a few thousand products in another order differ
    /// by about 1e-6; a layout mistake differs by 0.1).
    /// </summary>
    private static void CheckAgreement(string modelPath, ICompiledNetwork network, float[] images, Binding batch)
    {
        batch.Run();
        var ours = new float[batch.Probabilities.Length];
        network.WorkerCount = 1; // no worker threads left spinning beside ONNX Runtime's
        network.PredictBatch(images, ours);
        float largest = 0;
        for (int i = 0; i < ours.Length; i++) largest = Math.Max(largest, Math.Abs(ours[i] - batch.Probabilities[i]));
        if (largest > 1e-4f)
            throw new InvalidDataException($"{modelPath}: ONNX Runtime's probabilities differ from CompiledNets' by up to {largest} (more than 1e-4): the twin is not the same network");
    }

    /// <summary>A run with its input and output tensors bound once over managed memory.</summary>
    private sealed class Binding : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly RunOptions _runOptions;
        private readonly OrtValue _input, _output;
        private readonly string[] _inputNames = { InputName }, _outputNames = { OutputName };
        private readonly OrtValue[] _inputs, _outputs;

        public Binding(InferenceSession session, RunOptions runOptions, Memory<float> input, long[] shape, int outputSize)
        {
            _session = session;
            _runOptions = runOptions;
            Probabilities = new float[shape[0] * outputSize];
            _input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
            _output = OrtValue.CreateTensorValueFromMemory(Probabilities, new[] { shape[0], outputSize });
            _inputs = new[] { _input };
            _outputs = new[] { _output };
        }

        public float[] Probabilities { get; }

        public void Run() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

        public void Dispose()
        {
            _input.Dispose();
            _output.Dispose();
        }
    }
}
