using System;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Runtime;

public sealed class AdamTests(ITestOutputHelper output)
{
    private const int Steps = 6;

    // float32 against double over 6 steps of size ~lr = 1e-2 on parameters of magnitude ~1: the parameters carry
    // rounding of a few ulps of 1 (1.2e-7 each); the step sizes themselves are accurate to ~1e-7 relative.
    // Measured: at most 1.3e-7 over the three lengths; 5e-7 leaves margin, far below a wrong bias correction (~1e-3).
    private const double Tolerance = 5e-7;

    [Theory]
    [InlineData(37)] // a scalar tail after both vector widths
    [InlineData(1000)] // mostly vector lanes
    [InlineData(3)] // scalar only
    public void Several_steps_match_a_double_precision_reference(int length)
    {
        const float learningRate = 1e-2f, beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-7f;
        var random = new SeededRandom(5);
        float[] parameters = SgdTests.RandomValues(ref random, length);
        double[] expected = Array.ConvertAll(parameters, p => (double)p);
        var m = new double[length];
        var v = new double[length];
        var adam = new Adam(learningRate, beta1, beta2, epsilon);

        for (int t = 1; t <= Steps; t++)
        {
            float[] gradients = SgdTests.RandomValues(ref random, length);
            // Some tiny gradients, where epsilon matters.
            gradients[t % length] *= 1e-6f;
            adam.Step(parameters, gradients);
            for (int i = 0; i < length; i++)
            {
                double g = gradients[i];
                m[i] = beta1 * m[i] + (1 - (double)beta1) * g;
                v[i] = beta2 * v[i] + (1 - (double)beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                expected[i] -= learningRate * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }

        Assert.Equal(Steps, adam.Iterations);
        double maxError = 0;
        for (int i = 0; i < parameters.Length; i++) maxError = Math.Max(maxError, Math.Abs(parameters[i] - expected[i]));
        output.WriteLine($"max |float32 - double reference| = {maxError:E3}");
        for (int i = 0; i < length; i++)
        {
            Assert.True(Math.Abs(parameters[i] - expected[i]) <= Tolerance, $"parameter {i}: {parameters[i]} vs reference {expected[i]}");
        }
    }

    [Fact]
    public void The_first_step_moves_each_parameter_by_the_learning_rate_against_its_gradient()
    {
        // At t = 1, m_hat = g and v_hat = g², so the step is lr * g / (|g| + eps): lr * sign(g) for |g| >> eps,
        // slightly less for a gradient of 1e-2 (eps matters at 1e-5 relative), nothing for a zero gradient.
        float[] parameters = new float[5];
        float[] gradients = [3f, -0.25f, 1e-2f, -40f, 0f];
        new Adam(learningRate: 1e-3f).Step(parameters, gradients);
        for (int i = 0; i < gradients.Length; i++)
        {
            double g = gradients[i];
            double expected = -1e-3f * g / (Math.Abs(g) + 1e-7f);
            // float32 resolution near 1e-3 is 1.2e-10 per ulp.
            Assert.True(Math.Abs(parameters[i] - expected) <= 3e-10, $"parameter {i}: {parameters[i]} vs {expected}");
        }
    }

    [Fact]
    public void Vector_lanes_and_scalar_tail_compute_the_same_update()
    {
        float[] parameters = SgdTests.Filled(37, 0.3f);
        float[] gradients = SgdTests.Filled(37, -0.7f);
        var adam = new Adam();
        for (int step = 0; step < 3; step++) adam.Step(parameters, gradients);
        Assert.All(parameters, p => Assert.Equal(parameters[0], p));
    }

    [Fact]
    public void A_step_of_another_length_than_the_state_throws()
    {
        var adam = new Adam();
        adam.Step(new float[37], new float[37]);
        var error = Assert.Throws<ArgumentException>(() => adam.Step(new float[36], new float[36]));
        Assert.Contains("Adam holds state for 37 parameters", error.Message);
        Assert.Contains("updates 36", error.Message);
        Assert.Equal(1, adam.Iterations);
    }

    [Theory]
    [InlineData(0f, 0.9f, 0.999f, 1e-7f, "learningRate")]
    [InlineData(1e-3f, 1f, 0.999f, 1e-7f, "beta1")]
    [InlineData(1e-3f, -0.1f, 0.999f, 1e-7f, "beta1")]
    [InlineData(1e-3f, 0.9f, 1f, 1e-7f, "beta2")]
    [InlineData(1e-3f, 0.9f, 0.999f, 0f, "epsilon")]
    [InlineData(1e-3f, 0.9f, 0.999f, -1e-7f, "epsilon")]
    public void Invalid_arguments_are_rejected(float learningRate, float beta1, float beta2, float epsilon, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate, beta1, beta2, epsilon));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Defaults_are_keras_defaults()
    {
        var adam = new Adam();
        Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-7f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
    }
}
