using System;
using System.Collections.Generic;
using CompiledNets;

namespace CompiledNets.Tests.Numerics;

/// <summary>The generated test networks, with random inputs, labels and non-zero biases (so no unit starts dead by symmetry).</summary>
internal static class NetworkFixtures
{
    public static IEnumerable<string> Names => new[]
    {
        "SeedNet", "MlpNet", "OddShapesNet", "WideNet", "SmoothConvNet", "WideSmoothNet",
        "LeNet5Net", "SmoothSamePaddingNet", "LeakyOverlapNet", "BinaryNet", "MultiLabelNet", "RegressionNet", "SoftmaxRegressionNet", "GatheredGradientNet",
        "ChunkedSigmoidNet", "PooledGradientNet", "TransposedGradientNet",
    };

    public static ICompiledNetwork Create(string name, int seed = 1)
    {
        ICompiledNetwork network = name switch
        {
            "SeedNet" => new SeedNet(seed),
            "MlpNet" => new MlpNet(seed),
            "OddShapesNet" => new OddShapesNet(seed),
            "WideNet" => new WideNet(seed),
            "SmoothConvNet" => new SmoothConvNet(seed),
            "WideSmoothNet" => new WideSmoothNet(seed),
            "LeNet5Net" => new LeNet5Net(seed),
            "SmoothSamePaddingNet" => new SmoothSamePaddingNet(seed),
            "LeakyOverlapNet" => new LeakyOverlapNet(seed),
            "BinaryNet" => new BinaryNet(seed),
            "MultiLabelNet" => new MultiLabelNet(seed),
            "RegressionNet" => new RegressionNet(seed),
            "SoftmaxRegressionNet" => new SoftmaxRegressionNet(seed),
            "DropoutNet" => new DropoutNet(seed),
            "GatheredGradientNet" => new GatheredGradientNet(seed),
            "ChunkedSigmoidNet" => new ChunkedSigmoidNet(seed),
            "PooledGradientNet" => new PooledGradientNet(seed),
            "TransposedGradientNet" => new TransposedGradientNet(seed),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        var random = new SeededRandom(seed, stream: 7);
        Span<float> parameters = network.Parameters;
        // Biases are zero after InitializeParameters; nudge every parameter so biases are exercised too.
        for (int i = 0; i < parameters.Length; i++) parameters[i] += 0.05f * (random.NextSingle() - 0.5f);
        return network;
    }

    public static (float[] Inputs, int[] Labels) Batch(ICompiledNetwork network, int count, int seed = 3)
    {
        var random = new SeededRandom(seed, stream: 11);
        var inputs = new float[count * network.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle();
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = random.NextInt32(Classes(network));
        return (inputs, labels);
    }

    /// <summary>Labels a network takes: a single sigmoid or regression unit takes 0 or 1 as its target.</summary>
    public static int Classes(ICompiledNetwork network) =>
        network.OutputSize == 1 && network.Loss != LossFunction.CategoricalCrossEntropy ? 2 : network.OutputSize;

    /// <summary>
    /// Float targets, OutputSize per sample, as each loss reads them: distributions (soft labels) for
    /// cross-entropy, probabilities in (0, 1) for binary cross-entropy, values in [-1, 1) for squared error.
    /// </summary>
    public static float[] Targets(ICompiledNetwork network, int count, int seed = 13)
    {
        var random = new SeededRandom(seed, stream: 17);
        var targets = new float[count * network.OutputSize];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = network.Loss == LossFunction.MeanSquaredError ? 2f * random.NextSingle() - 1f : 0.05f + 0.9f * random.NextSingle();
        }
        if (network.Loss == LossFunction.CategoricalCrossEntropy)
        {
            for (int n = 0; n < count; n++)
            {
                var sample = targets.AsSpan(n * network.OutputSize, network.OutputSize);
                float sum = 0f;
                foreach (float t in sample) sum += t;
                for (int k = 0; k < sample.Length; k++) sample[k] /= sum;
            }
        }
        return targets;
    }
}
