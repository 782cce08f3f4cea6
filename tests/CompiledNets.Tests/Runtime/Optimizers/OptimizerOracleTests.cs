using System;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Runtime;

/// <summary>One optimizer step from the PyTorch oracle's parameters and gradients must land on PyTorch's result.</summary>
public sealed class OptimizerOracleTests(ITestOutputHelper output)
{
    // Tolerances, set after measuring (dotnet test --logger "console;verbosity=detailed" prints the errors):
    // every parameter is below 0.21 in magnitude (Glorot limits of these layers, biases in [-0.1, 0.1]), where one
    // float32 ulp is 1.49e-8. SGD measured bit-exact on both networks (both compute p + (-0.1 * g) in float32);
    // Adam measured 7.5e-9 (seed) and 1.49e-8 (mlp), one ulp, from the bias-correction scalars being rounded
    // differently. Allowing 2 ulps (3e-8) leaves room for an FMA in either implementation, and still catches any real
    // mistake: the Adam step itself is about lr * sign(g) = 1e-3, and the oracle's results for epsilon 1e-8 or for
    // Keras's uncorrected epsilon differ from this one by at least 2.4e-5 (parameters with tiny gradients).
    private const double SgdTolerance = 3e-8;
    private const double AdamTolerance = 3e-8;

    [Theory]
    [InlineData("seed", 54_410)]
    [InlineData("mlp", 101_770)]
    public void Sgd_step_matches_torch_optim_sgd(string configuration, int parameterCount)
    {
        float[] parameters = OracleFiles.ReadFloats(configuration, "params.flat.bin");
        float[] gradients = OracleFiles.ReadFloats(configuration, "grads.flat.bin");
        float[] expected = OracleFiles.ReadFloats(configuration, "after_sgd_lr0.1_step1.flat.bin");
        Assert.Equal(parameterCount, parameters.Length);
        Assert.Equal(parameterCount, gradients.Length);
        Assert.Equal(parameterCount, expected.Length);

        new Sgd(learningRate: 0.1f).Step(parameters, gradients);

        double maxError = MaxAbsoluteDifference(parameters, expected);
        output.WriteLine($"{configuration}: SGD max |CompiledNets - PyTorch| = {maxError:E3}");
        Assert.True(maxError <= SgdTolerance, $"max |error| {maxError:E3} > {SgdTolerance:E1}");
    }

    [Theory]
    [InlineData("seed", 54_410)]
    [InlineData("mlp", 101_770)]
    public void Adam_step_matches_torch_optim_adam_with_keras_epsilon(string configuration, int parameterCount)
    {
        float[] parameters = OracleFiles.ReadFloats(configuration, "params.flat.bin");
        float[] gradients = OracleFiles.ReadFloats(configuration, "grads.flat.bin");
        float[] expected = OracleFiles.ReadFloats(configuration, "after_adam_torch_eps1e-7_step1.flat.bin");
        Assert.Equal(parameterCount, parameters.Length);
        float[] initial = (float[])parameters.Clone();

        new Adam(learningRate: 1e-3f, beta1: 0.9f, beta2: 0.999f, epsilon: 1e-7f).Step(parameters, gradients);

        double maxError = MaxAbsoluteDifference(parameters, expected);
        double maxStep = MaxAbsoluteDifference(initial, expected);
        output.WriteLine($"{configuration}: Adam max |CompiledNets - PyTorch| = {maxError:E3}, largest PyTorch step {maxStep:E3}");
        Assert.True(maxError <= AdamTolerance, $"max |error| {maxError:E3} > {AdamTolerance:E1}");
    }

    private static double MaxAbsoluteDifference(float[] actual, float[] expected)
    {
        double max = 0;
        for (int i = 0; i < actual.Length; i++) max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        return max;
    }
}
