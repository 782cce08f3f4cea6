using System;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>Element-wise comparison with an absolute-plus-relative tolerance that reports the worst element.</summary>
internal static class Tolerance
{
    public static void Equal(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absolute, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        string? mismatch = Mismatch(expected, actual, absolute, relative, what);
        Assert.True(mismatch is null, mismatch);
    }

    /// <summary>Null when every element is within tolerance; otherwise a sentence naming the worst element.</summary>
    public static string? Mismatch(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absolute, double relative, string what)
    {
        if (expected.Length != actual.Length) return $"{what}: expected {expected.Length} values, got {actual.Length}";
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)expected[i] - actual[i]);
            double allowed = absolute + relative * Math.Abs(expected[i]);
            if (!(error <= allowed) && (worst < 0 || error - allowed > worstExcess))
            {
                worst = i;
                worstExcess = error - allowed;
            }
        }
        return worst < 0 ? null :
            $"{what}[{worst}]: expected {expected[worst]:G9}, got {actual[worst]:G9} (tolerance {absolute:G3} + {relative:G3} * |expected|)";
    }

    public static double MaxAbsoluteError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        double max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
        return max;
    }

    public static double MaxAbs(ReadOnlySpan<float> values)
    {
        double max = 0;
        foreach (float v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
