using System;
using System.Linq;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>
/// Inverted dropout: in training each value is zeroed with probability rate and the rest scaled by
/// 1 / (1 - rate); Predict and InputGradient never drop; masks are repeatable per seed and new every step.
/// </summary>
public sealed class DropoutTests
{
    private const float Rate = 0.25f;

    [Fact]
    public void Inference_ignores_dropout()
    {
        var network = NetworkFixtures.Create("DropoutNet");
        var twin = new DropoutFreeTwinNet();
        network.Parameters.CopyTo(twin.Parameters);
        var (inputs, labels) = NetworkFixtures.Batch(network, 4);

        var withDropout = new float[4 * 3];
        var without = new float[4 * 3];
        network.PredictBatch(inputs, withDropout);
        twin.PredictBatch(inputs, without);
        Assert.Equal(without, withDropout);

        var gradient = new float[20];
        var twinGradient = new float[20];
        network.InputGradient(inputs.AsSpan(0, 20), labels[0], gradient);
        twin.InputGradient(inputs.AsSpan(0, 20), labels[0], twinGradient);
        Assert.Equal(twinGradient, gradient);
    }

    /// <summary>
    /// With a zero kernel the logits are the bias whatever the mask, so d(loss)/d(logit k) = p_k - onehot_k is
    /// known, and the kernel gradient of input j is x_j * mask_j * (p_k - onehot_k): each mask value can be read off.
    /// </summary>
    [Fact]
    public void Training_drops_about_rate_of_the_values_and_scales_the_rest()
    {
        var network = new InputDropoutNet(seed: 3);
        network.Parameters.Clear();
        network.Parameters[128] = 0.3f; // bias of unit 0
        var input = Enumerable.Range(0, 64).Select(i => 0.5f + i / 128f).ToArray();
        var probabilities = new float[2];
        network.Predict(input, probabilities);
        float logitGradient = probabilities[0] - 1f; // label 0

        int dropped = 0, draws = 0;
        for (int step = 0; step < 100; step++)
        {
            network.ComputeGradients(input, new[] { 0 });
            for (int j = 0; j < 64; j++)
            {
                float mask = network.Gradients[j * 2] / (input[j] * logitGradient);
                draws++;
                if (mask == 0f) dropped++;
                else Assert.Equal(1f / (1f - Rate), mask, 5e-6f);
            }
        }
        // 6,400 draws: the dropped fraction's standard deviation is 0.0054, so 0.22..0.28 is more than 5 sigma.
        Assert.InRange(dropped / (double)draws, 0.22, 0.28);
    }

    [Fact]
    public void Masks_are_repeatable_per_seed_new_every_step_and_restart_with_InitializeParameters()
    {
        var (inputs, labels) = NetworkFixtures.Batch(NetworkFixtures.Create("DropoutNet"), 6);
        float[][] Run(ICompiledNetwork network, int steps) =>
            Enumerable.Range(0, steps).Select(_ => { network.ComputeGradients(inputs, labels); return network.Gradients.ToArray(); }).ToArray();

        var first = NetworkFixtures.Create("DropoutNet");
        var second = NetworkFixtures.Create("DropoutNet");
        float[][] a = Run(first, 3), b = Run(second, 3);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0], a[1]); // the same batch and parameters, but new masks

        first.InitializeParameters(seed: 1);
        second.InitializeParameters(seed: 1);
        Run(second, 2);
        second.InitializeParameters(seed: 1);
        Assert.Equal(Run(first, 2), Run(second, 2));
    }

    [Fact]
    public void Masks_do_not_depend_on_the_worker_count()
    {
        var network = NetworkFixtures.Create("DropoutNet");
        var (inputs, labels) = NetworkFixtures.Batch(network, 7);
        network.WorkerCount = 1;
        network.ComputeGradients(inputs, labels);
        float[] one = network.Gradients.ToArray();

        var other = NetworkFixtures.Create("DropoutNet");
        other.WorkerCount = 3;
        other.ComputeGradients(inputs, labels);
        // Only the order of the sum over samples differs: the same masks give the same gradients up to rounding.
        Tolerance.Equal(one, other.Gradients.ToArray(), absolute: 1e-6, relative: 1e-5, "gradients with 1 and 3 workers");
    }
}
