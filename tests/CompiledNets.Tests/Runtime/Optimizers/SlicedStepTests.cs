using System;
using System.Collections.Generic;
using Xunit;

namespace CompiledNets.Tests.Runtime;

/// <summary>
/// An element-wise optimizer's step taken slice by slice (what a network with several workers does, one slice per
/// worker) must leave exactly the parameters and state that one <see cref="Optimizer.Step"/> over all of them leaves.
/// </summary>
public sealed class SlicedStepTests
{
    public static IEnumerable<object[]> Optimizers() => new[]
    {
        new object[] { "Adam", (Func<Optimizer>)(() => new Adam(learningRate: 1e-2f)) },
        new object[] { "Sgd", (Func<Optimizer>)(() => new Sgd(learningRate: 0.1f)) },
        new object[] { "Sgd momentum", (Func<Optimizer>)(() => new Sgd(learningRate: 0.1f, momentum: 0.9f)) },
        new object[] { "Sgd Nesterov", (Func<Optimizer>)(() => new Sgd(learningRate: 0.1f, momentum: 0.9f, nesterov: true)) },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Slices_in_any_order_give_the_bits_of_one_step(string name, Func<Optimizer> create)
    {
        const int length = 1000;
        // Slice boundaries off the vector widths (16 and 8 floats), so vector bodies and scalar tails both split.
        int[] cuts = { 0, 37, 512, 523, length };
        var random = new SeededRandom(11);
        float[] whole = SgdTests.RandomValues(ref random, length);
        float[] sliced = (float[])whole.Clone();
        Optimizer one = create(), bySlices = create();
        Assert.True(bySlices.UpdatesElementwise, name);

        for (int step = 1; step <= 4; step++)
        {
            float[] gradients = SgdTests.RandomValues(ref random, length);
            one.Step(whole, gradients);

            bySlices.BeginStep(length);
            for (int k = cuts.Length - 2; k >= 0; k--) // last slice first: the order must not matter
            {
                int start = cuts[k], count = cuts[k + 1] - cuts[k];
                bySlices.StepSlice(sliced.AsSpan(start, count), gradients.AsSpan(start, count), start);
            }
            Assert.Equal(step - 1, bySlices.Iterations); // a step counts once it has ended
            bySlices.EndStep();

            Assert.Equal(step, bySlices.Iterations);
            Assert.Equal(whole, sliced); // bit for bit: same float operations per element, wherever the slice starts
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Slices_outside_a_begun_step_are_rejected(string name, Func<Optimizer> create)
    {
        Optimizer optimizer = create();
        Assert.True(optimizer.UpdatesElementwise, name);
        var parameters = new float[10];
        var gradients = new float[10];

        var notBegun = Assert.Throws<InvalidOperationException>(() => optimizer.StepSlice(parameters, gradients, 0));
        Assert.Contains("BeginStep", notBegun.Message);
        Assert.Throws<InvalidOperationException>(() => optimizer.EndStep());

        optimizer.BeginStep(10);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.StepSlice(parameters.AsSpan(0, 4), gradients.AsSpan(0, 4), 8));
        Assert.Contains("outside the 10 parameters", outside.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.StepSlice(parameters.AsSpan(0, 4), gradients.AsSpan(0, 4), -1));
        Assert.Throws<ArgumentException>(() => optimizer.StepSlice(parameters.AsSpan(0, 4), gradients.AsSpan(0, 3), 0));
        Assert.Equal(new float[10], parameters); // nothing was stepped by a rejected slice
        optimizer.EndStep();
        Assert.Equal(1, optimizer.Iterations);
        Assert.Throws<ArgumentException>(() => optimizer.BeginStep(11)); // the state belongs to 10 parameters
    }

    [Fact]
    public void Sgd_slices_of_one_step_share_its_learning_rate()
    {
        var random = new SeededRandom(3);
        float[] whole = SgdTests.RandomValues(ref random, 64), sliced = (float[])whole.Clone();
        float[] gradients = SgdTests.RandomValues(ref random, 64);
        new Sgd(learningRate: 0.1f).Step(whole, gradients);

        var sgd = new Sgd(learningRate: 0.1f);
        sgd.BeginStep(64);
        sgd.StepSlice(sliced.AsSpan(0, 32), gradients.AsSpan(0, 32), 0);
        sgd.LearningRate = 0.5f; // a schedule changing the rate mid-step applies from the next step on
        sgd.StepSlice(sliced.AsSpan(32), gradients.AsSpan(32), 32);
        sgd.EndStep();

        Assert.Equal(whole, sliced);
    }

    private sealed class WholeOnly : Optimizer
    {
        public override void Step(Span<float> parameters, ReadOnlySpan<float> gradients) => Iterations++;
    }

    [Fact]
    public void An_optimizer_that_is_not_element_wise_says_so_and_refuses_slices()
    {
        var optimizer = new WholeOnly();
        Assert.False(optimizer.UpdatesElementwise);
        var error = Assert.Throws<NotSupportedException>(() => optimizer.BeginStep(10));
        Assert.Contains("WholeOnly", error.Message);
        Assert.Throws<NotSupportedException>(() => optimizer.StepSlice(new float[1], new float[1], 0));
        Assert.Throws<NotSupportedException>(() => optimizer.EndStep());
    }
}
