using System;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>Steady state allocates nothing: buffers are sized at construction (design.md, "Generated code").</summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainStep_and_Predict_allocate_nothing_in_steady_state(int workers)
    {
        var network = new SeedNet(seed: 1) { WorkerCount = workers };
        var (inputs, labels) = NetworkFixtures.Batch(network, 32);
        var adam = new Adam();
        var output = new float[SeedNet.OutputSize];
        var outputs = new float[32 * SeedNet.OutputSize];
        for (int i = 0; i < 3; i++) // the first calls allocate the optimizer state and let the JIT settle
        {
            network.TrainStep(inputs, labels, adam);
            network.Predict(inputs.AsSpan(0, SeedNet.InputSize), output);
            network.PredictBatch(inputs, outputs);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            network.TrainStep(inputs, labels, adam);
            network.Predict(inputs.AsSpan(0, SeedNet.InputSize), output);
            network.Classify(inputs.AsSpan(0, SeedNet.InputSize));
            network.PredictBatch(inputs, outputs);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_large_dense_layer_trains_without_allocating_once_its_batch_buffers_are_grown(int workers)
    {
        // MlpNet's 784 x 128 layer keeps the whole batch's inputs and output gradients for its kernel gradient:
        // grown by the first batch, then reused.
        var network = new MlpNet(seed: 1) { WorkerCount = workers };
        var (inputs, labels) = NetworkFixtures.Batch(network, 32);
        var adam = new Adam();
        for (int i = 0; i < 3; i++) network.TrainStep(inputs, labels, adam);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            network.TrainStep(inputs, labels, adam);
            network.TrainStep(inputs.AsSpan(0, 16 * MlpNet.InputSize), labels.AsSpan(0, 16), adam); // a smaller batch fits too
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
