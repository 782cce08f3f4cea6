using System;

namespace CompiledNets;

/// <summary>Initial parameter values, as Keras draws them by default.</summary>
public static class ParameterInitializer
{
    /// <summary>
    /// Glorot (Xavier) uniform: values uniform in <c>[-limit, limit]</c> with <c>limit = sqrt(6 / (fanIn + fanOut))</c>.
    /// For a convolution, <c>fanIn = kh * kw * inC</c> and <c>fanOut = kh * kw * outC</c>.
    /// </summary>
    public static void GlorotUniform(Span<float> kernel, int fanIn, int fanOut, ref SeededRandom random)
    {
        if (fanIn <= 0) throw new ArgumentOutOfRangeException(nameof(fanIn), fanIn, "must be positive");
        if (fanOut <= 0) throw new ArgumentOutOfRangeException(nameof(fanOut), fanOut, "must be positive");
        float limit = MathF.Sqrt(6f / (fanIn + fanOut));
        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (2f * random.NextSingle() - 1f) * limit;
        }
    }
}
