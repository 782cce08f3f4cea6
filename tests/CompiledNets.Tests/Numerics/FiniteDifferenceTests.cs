using System;
using System.Collections.Generic;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>
/// Analytic gradients against central finite differences of the loss, for sampled coordinates of every
/// parameter and of the input.
///
/// The loss is computed in float32, so a difference quotient with step h carries a rounding error of about
/// 6e-8 * loss / h ≈ 1.5e-4 at h = 1e-3, and a truncation error O(h²) where the loss is smooth: we allow
/// 3e-4 + 3 %. ReLU and max pooling are not differentiable everywhere: when a step crosses a kink the
/// one-sided quotients disagree, and such coordinates say nothing about the gradient; they are skipped
/// (the test fails if more than a quarter of a group's coordinates are). A convolution weight moves every
/// pixel of its output, and with hundreds of ReLUs and pooling windows behind it some always switch inside
/// any usable step, so conv kernels are checked on networks without kinks (SmoothConvNet, WideSmoothNet);
/// ReLU/max-pool networks are checked here on their other parameters and inputs, and against PyTorch.
/// </summary>
public sealed class FiniteDifferenceTests
{
    private const float Step = 1e-3f;
    private const int Batch = 3;
    private const int SamplesPerGroup = 12;

    public static TheoryData<string> Networks()
    {
        var data = new TheoryData<string>();
        foreach (string name in NetworkFixtures.Names) data.Add(name);
        return data;
    }

    /// <summary>Networks where every parameter group is checked: small enough that kinks rarely fall inside a step, or smooth.</summary>
    public static TheoryData<string> ParameterNetworks() => new()
    {
        "MlpNet", "OddShapesNet", "SmoothConvNet", "WideSmoothNet", "SeedNet", "WideNet",
        "LeNet5Net", "SmoothSamePaddingNet", "LeakyOverlapNet", "BinaryNet", "MultiLabelNet", "RegressionNet", "SoftmaxRegressionNet", "GatheredGradientNet",
        "PooledGradientNet", "TransposedGradientNet",
    };

    /// <summary>Networks checked against float targets: soft labels, per-unit probabilities, regression values.</summary>
    public static TheoryData<string> TargetNetworks() => new() { "LeakyOverlapNet", "BinaryNet", "MultiLabelNet", "RegressionNet", "SoftmaxRegressionNet" };

    [Theory]
    [MemberData(nameof(TargetNetworks))]
    public void Gradients_against_float_targets_match_central_differences(string name)
    {
        var network = NetworkFixtures.Create(name);
        var (inputs, _) = NetworkFixtures.Batch(network, Batch);
        float[] targets = NetworkFixtures.Targets(network, Batch);
        network.ComputeGradients(inputs, targets);
        float[] analytic = network.Gradients.ToArray();

        var random = new SeededRandom(6);
        foreach (var (groupName, offset, length) in ParameterGroups(name))
        {
            if (SkipsConvKernels(name, groupName)) continue;
            var coordinates = new List<int>();
            for (int k = 0; k < SamplesPerGroup; k++) coordinates.Add(offset + random.NextInt32(length));
            CheckCoordinates(groupName, coordinates, analytic, i => network.Parameters[i], (i, v) => network.Parameters[i] = v,
                () => network.ComputeGradients(inputs, targets));
        }

        var sample = inputs.AsSpan(0, network.InputSize).ToArray();
        var target = targets.AsSpan(0, network.OutputSize).ToArray();
        var inputGradient = new float[network.InputSize];
        network.InputGradient(sample, target, inputGradient);
        var inputCoordinates = new List<int>();
        for (int k = 0; k < SamplesPerGroup; k++) inputCoordinates.Add(random.NextInt32(network.InputSize));
        CheckCoordinates("input", inputCoordinates, inputGradient, i => sample[i], (i, v) => sample[i] = v,
            () => network.ComputeGradients(sample, target));
    }

    [Theory]
    [MemberData(nameof(ParameterNetworks))]
    public void Parameter_gradients_match_central_differences(string name)
    {
        var network = NetworkFixtures.Create(name);
        var (inputs, labels) = NetworkFixtures.Batch(network, Batch);
        network.ComputeGradients(inputs, labels);
        float[] analytic = network.Gradients.ToArray();

        int covered = 0;
        foreach (var (_, _, length) in ParameterGroups(name)) covered += length;
        Assert.Equal(network.ParameterCount, covered);

        var random = new SeededRandom(5);
        foreach (var (groupName, offset, length) in ParameterGroups(name))
        {
            if (SkipsConvKernels(name, groupName)) continue; // see the class comment
            var coordinates = new List<int>();
            for (int k = 0; k < SamplesPerGroup; k++) coordinates.Add(offset + random.NextInt32(length));
            CheckCoordinates(groupName, coordinates, analytic, i => network.Parameters[i], (i, v) => network.Parameters[i] = v,
                () => network.ComputeGradients(inputs, labels));
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Input_gradient_matches_central_differences(string name)
    {
        var network = NetworkFixtures.Create(name);
        var (inputs, labels) = NetworkFixtures.Batch(network, 1);
        var analytic = new float[network.InputSize];
        network.InputGradient(inputs, labels[0], analytic);

        var random = new SeededRandom(9);
        var coordinates = new List<int>();
        for (int k = 0; k < 2 * SamplesPerGroup; k++) coordinates.Add(random.NextInt32(network.InputSize));
        // The loss of a batch of one is that sample's loss, whatever the loss function.
        CheckCoordinates("input", coordinates, analytic, i => inputs[i], (i, v) => inputs[i] = v, () => network.ComputeGradients(inputs, labels));
    }

    /// <summary>
    /// Conv groups of networks with max pooling behind many ReLU-like units: a kernel step moves every pixel and
    /// some pooling window's maximum switches inside any usable step (LeakyOverlapNet's converge to the analytic
    /// value only below h = 3e-4, where float32 rounding is as large as the gradient). Their conv gradients are
    /// checked by the input-gradient test (which runs the same pool and conv backward kernels) and against PyTorch;
    /// SeedNet's conv weight gradient has a kernel of its own (read from the pool's gradient and arg-max), checked
    /// against PyTorch (the oracle's seed configuration) and against its scalar reference (SimdPathTests).
    /// </summary>
    private static bool SkipsConvKernels(string network, string group) =>
        group.StartsWith("conv", StringComparison.Ordinal) && network is "SeedNet" or "WideNet" or "LeakyOverlapNet";

    private static void CheckCoordinates(string group, List<int> coordinates, float[] analytic,
        Func<int, float> get, Action<int, float> set, Func<float> loss)
    {
        int skipped = 0;
        foreach (int i in coordinates)
        {
            float original = get(i);
            float center = loss();
            set(i, original + Step);
            float plus = loss();
            set(i, original - Step);
            float minus = loss();
            set(i, original);

            double forward = (plus - center) / (double)Step, backward = (center - minus) / (double)Step;
            double central = (plus - minus) / (2.0 * Step);
            double noise = 3e-4 + 0.03 * Math.Abs(central);
            if (Math.Abs(forward - backward) > 4 * noise + 0.2 * Math.Abs(central))
            {
                skipped++; // the step crossed a ReLU or max-pool kink
                continue;
            }
            double error = Math.Abs(central - analytic[i]);
            Assert.True(error <= noise,
                $"{group}[{i}]: analytic {analytic[i]:G6}, central difference {central:G6} (error {error:G3}, allowed {noise:G3})");
        }
        Assert.True(skipped * 4 <= coordinates.Count, $"{group}: {skipped} of {coordinates.Count} coordinates sat on kinks");
    }

    /// <summary>(name, offset, length) of every kernel and bias, from the generated layout constants' public view: the Keras order.</summary>
    private static IEnumerable<(string, int, int)> ParameterGroups(string name) => name switch
    {
        "SeedNet" => new[] { ("conv kernel", 0, 288), ("conv bias", 288, 32), ("dense kernel", 320, 54080), ("dense bias", 54400, 10) },
        "MlpNet" => new[] { ("dense0 kernel", 0, 100352), ("dense0 bias", 100352, 128), ("dense1 kernel", 100480, 1280), ("dense1 bias", 101760, 10) },
        // 11x9x3 -conv 3x2, 7-> 9x8x7 -conv 2x2 s2, 21-> 4x4x21 -pool 2-> 2x2x21 = 84 -> 13 -> 5
        "OddShapesNet" => new[]
        {
            ("conv0 kernel", 0, 126), ("conv0 bias", 126, 7), ("conv1 kernel", 133, 588), ("conv1 bias", 721, 21),
            ("dense kernel", 742, 1092), ("dense bias", 1834, 13), ("output kernel", 1847, 65), ("output bias", 1912, 5),
        },
        // 6x6x2 -conv 2x2, 150-> 5x5x150 -pool 2-> 2x2x150 = 600 -> 140 -> 3
        "WideNet" => new[]
        {
            ("conv kernel", 0, 1200), ("conv bias", 1200, 150), ("dense kernel", 1350, 84000), ("dense bias", 85350, 140),
            ("output kernel", 85490, 420), ("output bias", 85910, 3),
        },
        // 9x10x3 -conv 3x3, 5-> 7x8x5 -conv 2x3 s2, 11-> 3x3x11 = 99 -> 6 -> 4
        "SmoothConvNet" => new[]
        {
            ("conv0 kernel", 0, 135), ("conv0 bias", 135, 5), ("conv1 kernel", 140, 330), ("conv1 bias", 470, 11),
            ("dense kernel", 481, 594), ("dense bias", 1075, 6), ("output kernel", 1081, 24), ("output bias", 1105, 4),
        },
        // 5x5x2 -conv 2x2, 150-> 4x4x150 = 2400 -> 140 -> 3
        "WideSmoothNet" => new[]
        {
            ("conv kernel", 0, 1200), ("conv bias", 1200, 150), ("dense kernel", 1350, 336000), ("dense bias", 337350, 140),
            ("output kernel", 337490, 420), ("output bias", 337910, 3),
        },
        "LeNet5Net" => new[]
        {
            ("conv0 kernel", 0, 150), ("conv0 bias", 150, 6), ("conv2 kernel", 156, 2400), ("conv2 bias", 2556, 16),
            ("dense5 kernel", 2572, 48000), ("dense5 bias", 50572, 120), ("dense6 kernel", 50692, 10080), ("dense6 bias", 60772, 84),
            ("output kernel", 60856, 840), ("output bias", 61696, 10),
        },
        "SmoothSamePaddingNet" => new[]
        {
            ("conv0 kernel", 0, 180), ("conv0 bias", 180, 5), ("conv2 kernel", 185, 140), ("conv2 bias", 325, 7),
            ("output kernel", 332, 140), ("output bias", 472, 5),
        },
        "LeakyOverlapNet" => new[]
        {
            ("conv kernel", 0, 108), ("conv bias", 108, 6), ("dense kernel", 114, 324), ("dense bias", 438, 9),
            ("output kernel", 447, 36), ("output bias", 483, 4),
        },
        "BinaryNet" => new[] { ("dense kernel", 0, 96), ("dense bias", 96, 8), ("output kernel", 104, 8), ("output bias", 112, 1) },
        "MultiLabelNet" => new[] { ("conv kernel", 0, 27), ("conv bias", 27, 3), ("output kernel", 30, 192), ("output bias", 222, 4) },
        "RegressionNet" => new[] { ("dense kernel", 0, 60), ("dense bias", 60, 6), ("output kernel", 66, 18), ("output bias", 84, 3) },
        "SoftmaxRegressionNet" => new[] { ("output kernel", 0, 40), ("output bias", 40, 4) },
        "GatheredGradientNet" => new[]
        {
            ("conv0 kernel", 0, 720), ("conv0 bias", 720, 16), ("conv1 kernel", 736, 1536), ("conv1 bias", 2272, 16),
            ("output kernel", 2288, 2016), ("output bias", 4304, 3),
        },
        "PooledGradientNet" => new[]
        {
            ("conv0 kernel", 0, 72), ("conv0 bias", 72, 8), ("conv1 kernel", 80, 128), ("conv1 bias", 208, 16),
            ("output kernel", 224, 432), ("output bias", 656, 3),
        },
        "TransposedGradientNet" => new[]
        {
            ("conv0 kernel", 0, 576), ("conv0 bias", 576, 32), ("conv1 kernel", 608, 2048), ("conv1 bias", 2656, 32),
            ("conv2 kernel", 2688, 3072), ("conv2 bias", 5760, 16), ("output kernel", 5776, 672), ("output bias", 6448, 3),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
