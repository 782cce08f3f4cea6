using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using Xunit;

namespace CompiledNets.Tests.Runtime;

/// <summary>
/// The single-precision tanh and sigmoid against double-precision references, in units in the last place of the
/// float nearest the true value. Their error analysis (SmoothActivations' summary) gives about 3 ulp; TensorPrimitives,
/// which they replaced, is within 1-2. Four is the bound, so a wrong coefficient or a lost
/// digit in the range reduction (errors of thousands of ulp) cannot pass.
/// </summary>
public sealed class SmoothActivationsTests
{
    [Fact]
    public void Tanh_is_within_4_ulp_of_the_double_precision_tanh()
    {
        float[] values = Sweep(limit: 30f);
        float[] results = (float[])values.Clone();
        SmoothActivations.Tanh(results);
        for (int i = 0; i < values.Length; i++)
            AssertWithinUlp(Math.Tanh(values[i]), results[i], 4, values[i]);
    }

    [Fact]
    public void Sigmoid_is_within_4_ulp_of_the_double_precision_sigmoid()
    {
        float[] values = Sweep(limit: 80f); // beyond, exp(-x) is clamped at exp(87): results below 2e-38 (next test)
        float[] results = (float[])values.Clone();
        SmoothActivations.Sigmoid(results);
        for (int i = 0; i < values.Length; i++)
            AssertWithinUlp(1 / (1 + Math.Exp(-(double)values[i])), results[i], 4, values[i]);
    }

    [Fact]
    public void Extreme_values_saturate_and_NaN_stays_NaN()
    {
        float[] tanh = { 0f, -0f, 9.5f, 20f, -1e30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN };
        SmoothActivations.Tanh(tanh);
        Assert.Equal(new[] { 0f, -0f, 1f, 1f, -1f, 1f, -1f }, tanh[..7]);
        Assert.True(float.IsNegative(tanh[1]), "tanh(-0) is -0");
        Assert.True(float.IsNaN(tanh[7]));

        float[] sigmoid = { 0f, 100f, float.PositiveInfinity, -100f, float.NegativeInfinity, float.NaN };
        SmoothActivations.Sigmoid(sigmoid);
        Assert.Equal(new[] { 0.5f, 1f, 1f }, sigmoid[..3]);
        Assert.InRange(sigmoid[3], 0f, 2e-38f);
        Assert.InRange(sigmoid[4], 0f, 2e-38f);
        Assert.True(float.IsNaN(sigmoid[5]));
    }

    [Fact]
    public void A_value_gets_the_same_bits_wherever_it_is_in_a_span_of_any_length()
    {
        // The generated code relies on this: PredictBatch's chunks and Predict's single sample must agree bit for bit.
        foreach (float value in new[] { -3.7f, -0.01f, 1e-6f, 0.3f, 2.25f })
        {
            float expectedTanh = Apply(SmoothActivations.Tanh, value, length: 1, at: 0);
            float expectedSigmoid = Apply(SmoothActivations.Sigmoid, value, length: 1, at: 0);
            for (int length = 1; length <= 21; length++)
            {
                for (int at = 0; at < length; at++)
                {
                    Assert.Equal(expectedTanh, Apply(SmoothActivations.Tanh, value, length, at));
                    Assert.Equal(expectedSigmoid, Apply(SmoothActivations.Sigmoid, value, length, at));
                }
            }
        }
    }

    [Fact]
    public void The_128_bit_path_gives_the_256_bit_paths_bits()
    {
        float[] values = Sweep(limit: 30f);
        for (int i = 0; i + 4 <= values.Length; i += 4)
        {
            var narrow = Vector128.Create(values, i);
            var wide = Vector256.Create(narrow, narrow);
            Assert.Equal(SmoothActivations.Tanh(wide).GetLower(), SmoothActivations.Tanh(narrow));
            Assert.Equal(SmoothActivations.Sigmoid(wide).GetLower(), SmoothActivations.Sigmoid(narrow));
        }
    }

    [Fact]
    public void The_derivatives_scale_every_gradient_as_the_plain_formula_does_bit_for_bit()
    {
        var random = new SeededRandom(5);
        for (int length = 1; length <= 37; length++)
        {
            float[] output = new float[length], gradient = new float[length];
            for (int i = 0; i < length; i++)
            {
                output[i] = random.NextSingle() * 2 - 1;
                gradient[i] = random.NextSingle() * 2 - 1;
            }
            float[] tanh = (float[])gradient.Clone(), sigmoid = (float[])gradient.Clone();
            ActivationKernels.TanhBackward(output, tanh);
            ActivationKernels.SigmoidBackward(output, sigmoid);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(gradient[i] * (1f - output[i] * output[i]), tanh[i]);
                Assert.Equal(gradient[i] * (output[i] * (1f - output[i])), sigmoid[i]);
            }
        }
    }

    /// <summary>Both signs of tiny, small, moderate and large magnitudes, geometrically spaced, plus zero.</summary>
    private static float[] Sweep(float limit)
    {
        var values = new List<float> { 0f };
        for (double magnitude = 1e-12; magnitude <= limit; magnitude *= 1.0001)
        {
            values.Add((float)magnitude);
            values.Add((float)-magnitude);
        }
        return values.ToArray();
    }

    private static void AssertWithinUlp(double expected, float actual, int ulps, float input)
    {
        float nearest = (float)expected;
        double ulp = MathF.BitIncrement(MathF.Abs(nearest)) - MathF.Abs(nearest);
        double error = Math.Abs(actual - expected) / ulp;
        Assert.True(error <= ulps, $"f({input:R}) = {actual:R}, expected {expected:R}: {error:0.0} ulp (at most {ulps})");
    }

    private static float Apply(SpanAction activation, float value, int length, int at)
    {
        var span = new float[length];
        for (int i = 0; i < length; i++) span[i] = 0.1f * i; // other values around it
        span[at] = value;
        activation(span);
        return span[at];
    }

    private delegate void SpanAction(Span<float> values);
}
