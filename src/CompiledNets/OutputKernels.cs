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

    /// <summary>
    /// Cross-entropy <c>-sum(target * log softmax(logits))</c> against a distribution (soft labels), and its
    /// gradient <c>scale * (softmax * sum(target) - target)</c> with respect to the logits.
    /// </summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, float scale, Span<float> logitsGradient)
    {
        float sum = Exponentials(logits, logitsGradient);
        float logSumExp = MathF.Log(sum) + Max(logits);
        float targetSum = 0f, loss = 0f;
        for (int k = 0; k < target.Length; k++)
        {
            targetSum += target[k];
            loss += target[k] * (logSumExp - logits[k]);
        }
        float factor = scale * targetSum / sum;
        for (int k = 0; k < logitsGradient.Length; k++) logitsGradient[k] = logitsGradient[k] * factor - scale * target[k];
        return loss;
    }

    /// <summary>
    /// Binary cross-entropy of sigmoid outputs, averaged over the units as Keras does, against class-index
    /// labels: a single unit's target is the label itself (0 or 1), several units' targets are one-hot.
    /// Writes the gradient with respect to the pre-activations: <c>scale * (output - target) / units</c>.
    /// </summary>
    public static float SigmoidBinaryCrossEntropy(ReadOnlySpan<float> output, int label, float scale, Span<float> preActivationGradient)
    {
        float loss = 0f, factor = scale / output.Length;
        for (int k = 0; k < output.Length; k++)
        {
            float target = LabelTarget(output.Length, label, k);
            loss += BinaryCrossEntropy(output[k], target);
            preActivationGradient[k] = factor * (output[k] - target);
        }
        return loss / output.Length;
    }

    /// <summary>Binary cross-entropy of sigmoid outputs against per-unit targets in [0, 1] (see the label overload).</summary>
    public static float SigmoidBinaryCrossEntropy(ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> preActivationGradient)
    {
        float loss = 0f, factor = scale / output.Length;
        for (int k = 0; k < output.Length; k++)
        {
            loss += BinaryCrossEntropy(output[k], target[k]);
            preActivationGradient[k] = factor * (output[k] - target[k]);
        }
        return loss / output.Length;
    }

    /// <summary>
    /// Keras's probability-space binary cross-entropy: the output is clipped to [1e-7, 1 - 1e-7] so a saturated
    /// sigmoid gives a large but finite loss. (The gradient above is the exact fused one, unclipped.)
    /// </summary>
    private static float BinaryCrossEntropy(float output, float target)
    {
        const float Epsilon = 1e-7f;
        float p = Math.Clamp(output, Epsilon, 1f - Epsilon);
        return -(target * MathF.Log(p) + (1f - target) * MathF.Log(1f - p));
    }

    /// <summary>
    /// Mean squared error over the units against class-index labels (one-hot targets; a single unit's target
    /// is the label itself), writing <c>scale * 2 (output - target) / units</c>, the gradient with respect to the outputs.
    /// </summary>
    public static float MeanSquaredError(ReadOnlySpan<float> output, int label, float scale, Span<float> outputGradient)
    {
        float loss = 0f, factor = 2f * scale / output.Length;
        for (int k = 0; k < output.Length; k++)
        {
            float difference = output[k] - LabelTarget(output.Length, label, k);
            loss += difference * difference;
            outputGradient[k] = factor * difference;
        }
        return loss / output.Length;
    }

    /// <summary>Mean squared error over the units against float targets (see the label overload).</summary>
    public static float MeanSquaredError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> outputGradient)
    {
        float loss = 0f, factor = 2f * scale / output.Length;
        for (int k = 0; k < output.Length; k++)
        {
            float difference = output[k] - target[k];
            loss += difference * difference;
            outputGradient[k] = factor * difference;
        }
        return loss / output.Length;
    }

    /// <summary>
    /// Mean squared error of <c>softmax(logits)</c> (the softmax layer keeps its logits) against class-index labels
    /// (one-hot targets); writes the gradient with respect to the logits through the softmax Jacobian:
    /// <c>p * (g - sum(p * g))</c> with <c>g = 2 (p - target) / units</c>.
    /// </summary>
    public static float SoftmaxMeanSquaredError(ReadOnlySpan<float> logits, int label, float scale, Span<float> logitsGradient)
    {
        Softmax(logits, logitsGradient);
        float loss = 0f, dot = 0f, factor = 2f / logits.Length;
        for (int k = 0; k < logits.Length; k++)
        {
            float p = logitsGradient[k], difference = p - LabelTarget(logits.Length, label, k);
            loss += difference * difference;
            dot += p * factor * difference;
        }
        for (int k = 0; k < logits.Length; k++)
        {
            float p = logitsGradient[k];
            logitsGradient[k] = scale * p * (factor * (p - LabelTarget(logits.Length, label, k)) - dot);
        }
        return loss / logits.Length;
    }

    /// <summary>Mean squared error of <c>softmax(logits)</c> against float targets (see the label overload).</summary>
    public static float SoftmaxMeanSquaredError(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, float scale, Span<float> logitsGradient)
    {
        Softmax(logits, logitsGradient);
        float loss = 0f, dot = 0f, factor = 2f / logits.Length;
        for (int k = 0; k < logits.Length; k++)
        {
            float p = logitsGradient[k], difference = p - target[k];
            loss += difference * difference;
            dot += p * factor * difference;
        }
        for (int k = 0; k < logits.Length; k++)
        {
            float p = logitsGradient[k];
            logitsGradient[k] = scale * p * (factor * (p - target[k]) - dot);
        }
        return loss / logits.Length;
    }

    /// <summary>The target of unit <paramref name="unit"/> for a class-index label: one-hot, or the label itself (0 or 1) for a single unit.</summary>
    private static float LabelTarget(int units, int label, int unit) => units == 1 ? label : unit == label ? 1f : 0f;

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
