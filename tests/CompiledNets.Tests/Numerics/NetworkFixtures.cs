using System;
using System.Collections.Generic;
using CompiledNets;

namespace CompiledNets.Tests.Numerics;

/// <summary>The generated test networks, with random inputs, labels and non-zero biases (so no unit starts dead by symmetry).</summary>
internal static class NetworkFixtures
{
    public static IEnumerable<string> Names => new[] { "SeedNet", "MlpNet", "OddShapesNet", "WideNet", "SmoothConvNet", "WideSmoothNet" };

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
        for (int i = 0; i < count; i++) labels[i] = random.NextInt32(network.OutputSize);
        return (inputs, labels);
    }
}
