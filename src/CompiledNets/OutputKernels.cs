using System;
using System.ComponentModel;

namespace CompiledNets;

/// <summary>
/// Output-layer kernels shared by every generated network: a numerically stable softmax and the fused
/// softmax + cross-entropy gradient (<c>p - onehot</c>, as llm.c's <c>crossentropy_softmax_backward</c>).
/// Outputs are small (tens of units), so these are not shape-specialized.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OutputKernels
{
    /// <summary>Writes <c>softmax(logits)</c>, subtracting the maximum first so large logits cannot overflow.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float sum = Exponentials(logits, probabilities);
        float inverse = 1f / sum;
        for (int k = 0; k < probabilities.Length; k++) probabilities[k] *= inverse;
    }

    /// <summary>
    /// Returns the cross-entropy <c>-log softmax(logits)[label]</c> of one sample and writes its gradient
    /// with respect to the logits, times <paramref name="scale"/> (1 / batch size for a mean loss).
    /// </summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, int label, float scale, Span<float> logitsGradient)
    {
        float sum = Exponentials(logits, logitsGradient);
        float factor = scale / sum;
        for (int k = 0; k < logitsGradient.Length; k++) logitsGradient[k] *= factor;
        logitsGradient[label] -= scale;
        // log-sum-exp form: exact even when softmax(logits)[label] underflows to zero.
        return MathF.Log(sum) - (logits[label] - Max(logits));
    }

    /// <summary>Writes <c>exp(logits - max)</c> and returns their sum (at least 1, so never zero).</summary>
    private static float Exponentials(ReadOnlySpan<float> logits, Span<float> destination)
    {
        float max = Max(logits);
        float sum = 0f;
        for (int k = 0; k < logits.Length; k++)
        {
            float e = MathF.Exp(logits[k] - max);
            destination[k] = e;
            sum += e;
        }
        return sum;
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        float max = values[0];
        for (int k = 1; k < values.Length; k++) max = values[k] > max ? values[k] : max;
        return max;
    }

    /// <summary>Index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best]) best = k;
        }
        return best;
    }
}
