using System;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Runtime;

public sealed class SgdTests(ITestOutputHelper output)
{
    // 37 = 2 * 16 + 5 and 4 * 8 + 5: both the Vector512 and the Vector256 loop leave a scalar tail.
    private const int Length = 37;
    private const int Steps = 3;

    // float32 against double over 3 steps on values of magnitude ~1: a few ulps of 1 (1.2e-7 each) at most.
    // Measured: at most 1.3e-7 over the four cases; 5e-7 leaves margin and still catches a wrong formula
    // (one missed momentum term moves a parameter by ~lr * 0.9 * |b| ~ 1e-2).
    private const double Tolerance = 5e-7;

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.9f, false)]
    [InlineData(0.9f, true)]
    [InlineData(0.5f, true)]
    public void Three_steps_match_a_double_precision_reference(float momentum, bool nesterov)
    {
        const float learningRate = 0.1f;
        var random = new SeededRandom(11);
        float[] parameters = RandomValues(ref random, Length);
        double[] expected = Array.ConvertAll(parameters, p => (double)p);
        var velocity = new double[Length];
        var sgd = new Sgd(learningRate, momentum, nesterov);

        for (int step = 0; step < Steps; step++)
        {
            float[] gradients = RandomValues(ref random, Length);
            sgd.Step(parameters, gradients);
            // torch.optim.SGD: b = momentum * b + g; p -= lr * (nesterov ? g + momentum * b : b).
            for (int i = 0; i < Length; i++)
            {
                double g = gradients[i];
                velocity[i] = momentum * velocity[i] + g;
                double direction = momentum == 0f ? g : nesterov ? g + momentum * velocity[i] : velocity[i];
                expected[i] -= learningRate * direction;
            }
        }

        Assert.Equal(Steps, sgd.Iterations);
        double maxError = 0;
        for (int i = 0; i < parameters.Length; i++) maxError = Math.Max(maxError, Math.Abs(parameters[i] - expected[i]));
        output.WriteLine($"max |float32 - double reference| = {maxError:E3}");
        for (int i = 0; i < Length; i++)
        {
            Assert.True(Math.Abs(parameters[i] - expected[i]) <= Tolerance, $"parameter {i}: {parameters[i]} vs reference {expected[i]}");
        }
    }

    [Fact]
    public void Momentum_really_accumulates_velocity()
    {
        // With a constant gradient 1, momentum 0.5 and lr 1, the velocity is 1, 1.5, 1.75: p = -(1 + 1.5 + 1.75).
        float[] parameters = new float[Length];
        float[] gradients = Filled(Length, 1f);
        var sgd = new Sgd(learningRate: 1f, momentum: 0.5f);
        for (int step = 0; step < 3; step++) sgd.Step(parameters, gradients);
        Assert.All(parameters, p => Assert.Equal(-4.25f, p));
    }

    [Fact]
    public void Vector_lanes_and_scalar_tail_compute_the_same_update()
    {
        float[] parameters = Filled(Length, 0.3f);
        float[] gradients = Filled(Length, -0.7f);
        var sgd = new Sgd(learningRate: 0.05f, momentum: 0.9f, nesterov: true);
        sgd.Step(parameters, gradients);
        sgd.Step(parameters, gradients);
        Assert.All(parameters, p => Assert.Equal(parameters[0], p));
    }

    [Fact]
    public void A_step_of_another_length_than_the_state_throws()
    {
        var sgd = new Sgd(0.1f, momentum: 0.9f);
        sgd.Step(new float[Length], new float[Length]);
        var error = Assert.Throws<ArgumentException>(() => sgd.Step(new float[Length + 1], new float[Length + 1]));
        Assert.Contains($"state for {Length} parameters", error.Message);
        Assert.Contains($"updates {Length + 1}", error.Message);
        Assert.Equal(1, sgd.Iterations);
    }

    [Fact]
    public void Plain_sgd_is_also_bound_to_its_first_parameter_count()
    {
        var sgd = new Sgd(0.1f);
        sgd.Step(new float[Length], new float[Length]);
        Assert.Throws<ArgumentException>(() => sgd.Step(new float[8], new float[8]));
    }

    [Fact]
    public void Gradients_of_another_length_than_the_parameters_throw()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sgd().Step(new float[Length], new float[Length - 1]));
        Assert.Contains($"{Length} parameters but {Length - 1} gradients", error.Message);
    }

    [Theory]
    [InlineData(0f, 0f, false, "learningRate")]
    [InlineData(-0.1f, 0f, false, "learningRate")]
    [InlineData(float.NaN, 0f, false, "learningRate")]
    [InlineData(0.1f, -0.5f, false, "momentum")]
    [InlineData(0.1f, 0f, true, "momentum")]
    public void Invalid_arguments_are_rejected(float learningRate, float momentum, bool nesterov, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(learningRate, momentum, nesterov));
        Assert.Equal(parameter, error.ParamName);
    }

    internal static float[] RandomValues(ref SeededRandom random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = 2f * random.NextSingle() - 1f;
        return values;
    }

    internal static float[] Filled(int length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }
}
