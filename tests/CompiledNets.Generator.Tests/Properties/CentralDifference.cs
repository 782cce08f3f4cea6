using System;
using System.Globalization;
using System.Linq;

namespace CompiledNets.Generator.Tests.Properties;

/// <summary>What one coordinate's finite differences said.</summary>
internal enum PointVerdict { Agrees, Kink, Disagrees }

/// <summary>
/// One coordinate's check at the step it settled on: the loss and the analytic derivative at the five points
/// <c>x - h, x - h/2, x, x + h/2, x + h</c>, the derivative the losses estimate, and the verdict.
/// </summary>
internal sealed record PointCheck(
    PointVerdict Verdict,
    float Step,
    double Analytic,
    double Estimate,
    double Allowed,
    double Roughness,
    double RoughnessAllowed,
    double DerivativeJump,
    double DerivativeJumpAllowed,
    float[] Losses,
    float[] Derivatives)
{
    public double Error => Math.Abs(Estimate - Analytic);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"analytic {Analytic:G7}, finite difference {Estimate:G7} (step {Step:G3}; error {Error:G3}, allowed {Allowed:G3}; " +
        $"roughness {Roughness:G3}, a kink above {RoughnessAllowed:G3}; derivative jump {DerivativeJump:G3}, a kink above {DerivativeJumpAllowed:G3})\n" +
        $"      at x-h, x-h/2, x, x+h/2, x+h: losses {Join(Losses)}; analytic derivatives {Join(Derivatives)}");

    private static string Join(float[] values) => string.Join(", ", values.Select(v => v.ToString("G9", CultureInfo.InvariantCulture)));
}

/// <summary>
/// Finite differences of a float32 loss, with kinks told apart from errors.
///
/// <para><b>Exact steps.</b> Steps are powers of two and every parameter and input is first rounded to a multiple of
/// <see cref="Grid"/> (2^-20, a change of at most 5e-7, made before the analytic gradient is taken). All of them lie in
/// (-15, 15), so x ± h and x ± h/2 are exact floats and the quotients divide by the step really taken.</para>
///
/// <para><b>Noise.</b> The loss in float32 is off by some δ. Measured on a few thousand points of random networks, its
/// error is within one ulp of the larger of the loss and 1 (the softmax's log-sum-exp and logits are numbers near 1,
/// whatever the loss), so δ = <see cref="NoiseUlps"/> such ulps. A difference quotient over a step s is then off by up
/// to 2δ/s.</para>
///
/// <para><b>Kinks.</b> ReLU and max pooling make the loss piecewise smooth, and a convolution weight moves hundreds
/// of pre-activations, so a step often crosses a kink. Two signs of one, either of which makes the point a kink
/// at that step: (1) the analytic derivatives at the five points are not smooth: one of their second differences
/// exceeds <see cref="DerivativeJumpShare"/> of the largest (on a smooth loss they are O(h²) and measure below 1e-5
/// of it; across a kink they jump by the kink's slope change); (2) the losses are not smooth: the four slopes σ1..σ4
/// over the half steps vary linearly where the loss is smooth, but a kink in any half step moves one of
/// σ1 - 2σ2 + σ3, σ2 - 2σ3 + σ4 by at least a third of the slope's jump; the larger is the point's roughness, a
/// kink when above what noise can make of it, 16δ/h (each is a sum of eight loss errors over h/2). (2) also sees
/// what (1) cannot: two kinks in one half step that undo each other's jump. A point that is a kink at one step is
/// tried again at the next smaller of <see cref="Steps"/>; a point that is a kink at all of them is skipped (and
/// counted: too many fail the test).</para>
///
/// <para><b>Estimate and tolerance.</b> Richardson's extrapolation of the central differences over h and h/2,
/// (4 C(h/2) - C(h)) / 3 = [8 (L(x+h/2) - L(x-h/2)) - (L(x+h) - L(x-h))] / (6h), is exact to O(h⁴) on a smooth loss;
/// noise moves it by at most 18δ/(6h) = 3δ/h. Allowed: that; plus half the point's roughness, the most a kink that
/// went unseen can move the estimate (worked out for a piecewise-linear loss with the kink in each half step); plus
/// <see cref="Relative"/> of the larger derivative, for the float32 sums of the analytic gradient and the truncation.
/// At the first step, 2^-6, a smooth point is allowed about 6e-5 + 0.1 %; measured errors stay below a third of it.</para>
/// </summary>
internal static class CentralDifference
{
    /// <summary>Every parameter and input is a multiple of this before the check, so steps of a power of two are exact.</summary>
    public const float Grid = 1f / (1 << 20);

    /// <summary>
    /// The steps tried, largest first: 2^-6 is as large as Richardson's extrapolation stays exact at (errors measured at
    /// it are noise, not truncation), and the most precise; 2^-8 and 2^-10 cross fewer kinks (about 9, 5 and 2 % of
    /// the points of ReLU networks are kinks at the three steps) at 4 and 16 times the noise.
    /// </summary>
    public static readonly float[] Steps = { 1f / 64, 1f / 256, 1f / 1024 };

    /// <summary>δ in ulps of max(|loss|, 1): twice the largest error measured.</summary>
    public const double NoiseUlps = 2;

    /// <summary>A second difference of the analytic derivatives above this share of the largest of them is a kink.</summary>
    public const double DerivativeJumpShare = 1e-3;

    /// <summary>Below this, a jump of the analytic derivatives is no kink worth the name: its effect is far below the noise.</summary>
    public const double DerivativeJumpFloor = 1e-6;

    /// <summary>Relative tolerance: the float32 rounding of analytic gradients and the O(h⁴) truncation, with room.</summary>
    public const double Relative = 1e-3;

    /// <summary>x rounded to a multiple of <see cref="Grid"/>.</summary>
    public static float Snap(float x) => MathF.Round(x / Grid) * Grid;

    /// <summary>The absolute error δ assumed of a loss value near <paramref name="loss"/>.</summary>
    public static double LossNoise(float loss) => NoiseUlps * Ulp(Math.Max(MathF.Abs(loss), 1f));

    private static double Ulp(float value) => MathF.BitIncrement(value) - value;

    /// <summary>
    /// Checks d(loss)/dx at the coordinate <paramref name="get"/> and <paramref name="set"/> reach against
    /// <paramref name="analytic"/>, and leaves the coordinate as it found it. <paramref name="evaluate"/> returns the loss
    /// and the analytic derivative at the current x; <paramref name="center"/> is the loss at x, already computed.
    /// </summary>
    public static PointCheck Check(double analytic, float center, Func<float> get, Action<float> set, Func<(float Loss, float Derivative)> evaluate)
    {
        float x = get();
        if (Snap(x) != x || MathF.Abs(x) >= 15)
            throw new InvalidOperationException($"x = {x:G9} is not on the grid the exact steps need (or too large); snap it first.");
        PointCheck? check = null;
        try
        {
            foreach (float step in Steps)
            {
                check = CheckAt(step, x, analytic, center, set, evaluate);
                if (check.Verdict != PointVerdict.Kink) break;
            }
        }
        finally
        {
            set(x);
        }
        return check!;
    }

    private static PointCheck CheckAt(float h, float x, double analytic, float center, Action<float> set, Func<(float Loss, float Derivative)> evaluate)
    {
        float half = h / 2;
        var losses = new float[5];
        var derivatives = new float[5];
        float[] offsets = { -h, -half, 0, half, h };
        for (int k = 0; k < 5; k++)
        {
            if (k == 2)
            {
                (losses[k], derivatives[k]) = (center, (float)analytic);
                continue;
            }
            set(x + offsets[k]);
            (losses[k], derivatives[k]) = evaluate();
        }

        double delta = LossNoise(center);
        double s1 = ((double)losses[1] - losses[0]) / half, s2 = ((double)losses[2] - losses[1]) / half;
        double s3 = ((double)losses[3] - losses[2]) / half, s4 = ((double)losses[4] - losses[3]) / half;
        double roughness = Math.Max(Math.Abs(s1 - 2 * s2 + s3), Math.Abs(s2 - 2 * s3 + s4));
        double roughnessAllowed = 16 * delta / h;

        double jump = 0, largest = 0;
        for (int k = 1; k < 4; k++) jump = Math.Max(jump, Math.Abs((double)derivatives[k - 1] - 2.0 * derivatives[k] + derivatives[k + 1]));
        foreach (float d in derivatives) largest = Math.Max(largest, Math.Abs(d));
        double jumpAllowed = DerivativeJumpShare * largest + DerivativeJumpFloor;

        double estimate = (8 * ((double)losses[3] - losses[1]) - ((double)losses[4] - losses[0])) / (6.0 * h);
        double allowed = 3 * delta / h + roughness / 2 + Relative * Math.Max(Math.Abs(analytic), Math.Abs(estimate));

        PointVerdict verdict = roughness > roughnessAllowed || jump > jumpAllowed ? PointVerdict.Kink
            : Math.Abs(estimate - analytic) <= allowed ? PointVerdict.Agrees
            : PointVerdict.Disagrees;
        return new PointCheck(verdict, h, analytic, estimate, allowed, roughness, roughnessAllowed, jump, jumpAllowed, losses, derivatives);
    }
}
