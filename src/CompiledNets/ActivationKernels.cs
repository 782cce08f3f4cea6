using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompiledNets;

/// <summary>
/// Element-wise activations and their derivatives over a whole layer output. They gain nothing from knowing
/// the shape, so they live here once instead of in every generated network. Every derivative is computed
/// from the layer's output (what the forward pass keeps), never from its input.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivationKernels
{
    /// <summary>Applies the ReLU derivative in place: <c>gradient[i] = output[i] &gt; 0 ? gradient[i] : 0</c>.</summary>
    public static void ReluBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = Math.Min(output.Length, gradient.Length), i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var v = VectorMath.ReluBackward(Vector512.LoadUnsafe(ref o, (nuint)i), Vector512.LoadUnsafe(ref g, (nuint)i));
                v.StoreUnsafe(ref g, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var v = VectorMath.ReluBackward(Vector256.LoadUnsafe(ref o, (nuint)i), Vector256.LoadUnsafe(ref g, (nuint)i));
                v.StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++) gradient[i] = output[i] > 0f ? gradient[i] : 0f;
    }

    /// <summary>
    /// Applies the leaky-ReLU derivative in place: the gradient is kept where the output is positive and
    /// scaled by 0.01 elsewhere (a negative output means a negative input: the slope keeps the sign).
    /// </summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = Math.Min(output.Length, gradient.Length), i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var d = Vector256.LoadUnsafe(ref g, (nuint)i);
                var positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref o, (nuint)i), Vector256<float>.Zero);
                Vector256.ConditionalSelect(positive, d, d * VectorMath.LeakySlope).StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++) gradient[i] = output[i] > 0f ? gradient[i] : gradient[i] * VectorMath.LeakySlope;
    }

    /// <summary>
    /// Replaces each value by <c>1 / (1 + exp(-x))</c>, within 4 units in the last place (see
    /// <see cref="SmoothActivations"/>: a value's bits do not depend on the span it is in).
    /// </summary>
    public static void Sigmoid(Span<float> values) => SmoothActivations.Sigmoid(values);

    /// <summary>Applies the sigmoid derivative in place: <c>gradient *= output * (1 - output)</c>.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> output, Span<float> gradient) => ScaleByDerivative(output, gradient, sigmoid: true);

    /// <summary>Replaces each value by its hyperbolic tangent, within 4 units in the last place.</summary>
    public static void Tanh(Span<float> values) => SmoothActivations.Tanh(values);

    /// <summary>Applies the tanh derivative in place: <c>gradient *= 1 - output²</c>.</summary>
    public static void TanhBackward(ReadOnlySpan<float> output, Span<float> gradient) => ScaleByDerivative(output, gradient, sigmoid: false);

    /// <summary>
    /// The two derivatives above, 8 floats at a time (RyuJIT does not vectorize the plain loop): the same multiplies
    /// and subtraction in the same order as the scalar tail, so every value gets the bits the loop gave it.
    /// </summary>
    private static void ScaleByDerivative(ReadOnlySpan<float> output, Span<float> gradient, bool sigmoid)
    {
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = Math.Min(output.Length, gradient.Length), i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1f);
            for (; i <= n - 8; i += 8)
            {
                var y = Vector256.LoadUnsafe(ref o, (nuint)i);
                var derivative = sigmoid ? y * (one - y) : one - y * y;
                (Vector256.LoadUnsafe(ref g, (nuint)i) * derivative).StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++) gradient[i] *= sigmoid ? output[i] * (1f - output[i]) : 1f - output[i] * output[i];
    }
}
