using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompiledNets;

/// <summary>
/// Tanh and sigmoid in single precision, built on one exponential. TensorPrimitives computes both through a
/// double-precision exponential, 2.5 ns a float on the AVX2 machine this was measured on, which made tanh 28 %
/// of LeNet-5's inference; these take a fraction of that at an error of a few units in the last place.
/// The 256-bit, 128-bit and tail paths run the same operations (multiply-adds fused where the machine has FMA,
/// as everywhere in CompiledNets), so on one machine a value's bits depend on the value alone: not on the span's
/// length, not on its position in the span (TensorPrimitives computes a span's last partial vector otherwise).
/// </summary>
internal static class SmoothActivations
{
    // exp(y) = 2^k * exp(r), y = k ln 2 + r, |r| <= ln 2 / 2. ln 2 is split so that k * Ln2High is exact for |k| < 2^11.
    private const float Log2E = 1.44269504f;
    private const float Ln2High = 0.693145752f;
    private const float Ln2Low = 1.42860677e-6f;
    // 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer (round to nearest even).
    private const float RoundingShift = 12582912f;
    // Beyond these the results are 1 (tanh), 0 or 1 (sigmoid) in float; clamping keeps 2^k a normal float.
    private const float TanhLimit = 9.5f;
    private const float ExpArgumentLimit = 87f;

    /// <summary>Replaces each value by its hyperbolic tangent.</summary>
    public static void Tanh(Span<float> values) => Apply(values, tanh: true);

    /// <summary>Replaces each value by <c>1 / (1 + exp(-x))</c>.</summary>
    public static void Sigmoid(Span<float> values) => Apply(values, tanh: false);

    private static void Apply(Span<float> values, bool tanh)
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        if (Vector256.IsHardwareAccelerated || !Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var x = Vector256.LoadUnsafe(ref first, (nuint)i);
                (tanh ? Tanh(x) : Sigmoid(x)).StoreUnsafe(ref first, (nuint)i);
            }
        }
        else
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var x = Vector128.LoadUnsafe(ref first, (nuint)i);
                (tanh ? Tanh(x) : Sigmoid(x)).StoreUnsafe(ref first, (nuint)i);
            }
        }
        // The tail through the same vector code, so its bits are those the value would get anywhere else.
        for (; i < n; i++)
        {
            var x = Vector128.CreateScalarUnsafe(Unsafe.Add(ref first, i));
            Unsafe.Add(ref first, i) = (tanh ? Tanh(x) : Sigmoid(x)).ToScalar();
        }
    }

    /// <summary>tanh(x) = sign(x) * e / (e + 2) with e = exp(2|x|) - 1, exact near 0 where that is 2|x| + ...</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Tanh(Vector256<float> x)
    {
        var sign = x & Vector256.Create(-0f);
        var magnitude = AtMost(Vector256.Abs(x), TanhLimit);
        var e = ExpMinusOne(magnitude + magnitude);
        return KeepNaN(x, (e / (e + Vector256.Create(2f))) | sign);
    }

    /// <inheritdoc cref="Tanh(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Tanh(Vector128<float> x)
    {
        var sign = x & Vector128.Create(-0f);
        var magnitude = AtMost(Vector128.Abs(x), TanhLimit);
        var e = ExpMinusOne(magnitude + magnitude);
        return KeepNaN(x, (e / (e + Vector128.Create(2f))) | sign);
    }

    /// <summary>1 / (1 + exp(-x)): no cancellation on either side of 0 (exp(-x) is clamped to [exp(-87), exp(87)]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var y = AtMost(-AtMost(x, ExpArgumentLimit), ExpArgumentLimit); // -x in [-87, 87]
        var one = Vector256.Create(1f);
        var (rq, power) = ExpParts(y);
        return KeepNaN(x, one / VectorMath.MultiplyAdd(rq + one, power, one));
    }

    /// <inheritdoc cref="Sigmoid(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Sigmoid(Vector128<float> x)
    {
        var y = AtMost(-AtMost(x, ExpArgumentLimit), ExpArgumentLimit); // -x in [-87, 87]
        var one = Vector128.Create(1f);
        var (rq, power) = ExpParts(y);
        return KeepNaN(x, one / VectorMath.MultiplyAdd(rq + one, power, one));
    }

    /// <summary>
    /// exp(y) - 1 for |y| &lt;= 87: with y = k ln 2 + r it is 2^k (1 + r q(r)) - 1, where q is the Taylor series of
    /// (exp(r) - 1) / r to r^6 (truncation below 1e-8 for |r| &lt;= 0.35). Where k = 0 the result is r q(r) itself,
    /// so small arguments lose nothing to the subtraction of 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpMinusOne(Vector256<float> y)
    {
        var (rq, power) = ExpParts(y);
        var scaled = VectorMath.MultiplyAdd(rq + Vector256.Create(1f), power, Vector256.Create(-1f));
        return Vector256.ConditionalSelect(Vector256.Equals(power, Vector256.Create(1f)), rq, scaled);
    }

    /// <summary>exp(y) = (r q(r) + 1) * 2^k as its two parts (see <see cref="ExpMinusOne(Vector256{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> RQ, Vector256<float> Power) ExpParts(Vector256<float> y)
    {
        var shifted = VectorMath.MultiplyAdd(y, Vector256.Create(Log2E), Vector256.Create(RoundingShift));
        var k = shifted - Vector256.Create(RoundingShift);
        var r = VectorMath.MultiplyAdd(k, Vector256.Create(-Ln2Low), VectorMath.MultiplyAdd(k, Vector256.Create(-Ln2High), y));
        var q = Vector256.Create(1f / 5040);
        q = VectorMath.MultiplyAdd(q, r, Vector256.Create(1f / 720));
        q = VectorMath.MultiplyAdd(q, r, Vector256.Create(1f / 120));
        q = VectorMath.MultiplyAdd(q, r, Vector256.Create(1f / 24));
        q = VectorMath.MultiplyAdd(q, r, Vector256.Create(1f / 6));
        q = VectorMath.MultiplyAdd(q, r, Vector256.Create(0.5f));
        q = VectorMath.MultiplyAdd(q, r, Vector256.Create(1f));
        var power = Vector256.ShiftLeft(Vector256.ConvertToInt32(k), 23) + Vector256.Create(1f).AsInt32(); // 2^k
        return (r * q, power.AsSingle());
    }

    /// <summary>min(x, limit) in two instructions (NaN becomes limit: <see cref="KeepNaN(Vector256{float}, Vector256{float})"/> restores it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AtMost(Vector256<float> x, float limit) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(limit)), x, Vector256.Create(limit));

    /// <summary>NaN in, NaN out (the clamps would turn it into a number).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> KeepNaN(Vector256<float> x, Vector256<float> result) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);

    /// <inheritdoc cref="ExpMinusOne(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpMinusOne(Vector128<float> y)
    {
        var (rq, power) = ExpParts(y);
        var scaled = VectorMath.MultiplyAdd(rq + Vector128.Create(1f), power, Vector128.Create(-1f));
        return Vector128.ConditionalSelect(Vector128.Equals(power, Vector128.Create(1f)), rq, scaled);
    }

    /// <summary>exp(y) = (r q(r) + 1) * 2^k as its two parts (see <see cref="ExpMinusOne(Vector128{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> RQ, Vector128<float> Power) ExpParts(Vector128<float> y)
    {
        var shifted = VectorMath.MultiplyAdd(y, Vector128.Create(Log2E), Vector128.Create(RoundingShift));
        var k = shifted - Vector128.Create(RoundingShift);
        var r = VectorMath.MultiplyAdd(k, Vector128.Create(-Ln2Low), VectorMath.MultiplyAdd(k, Vector128.Create(-Ln2High), y));
        var q = Vector128.Create(1f / 5040);
        q = VectorMath.MultiplyAdd(q, r, Vector128.Create(1f / 720));
        q = VectorMath.MultiplyAdd(q, r, Vector128.Create(1f / 120));
        q = VectorMath.MultiplyAdd(q, r, Vector128.Create(1f / 24));
        q = VectorMath.MultiplyAdd(q, r, Vector128.Create(1f / 6));
        q = VectorMath.MultiplyAdd(q, r, Vector128.Create(0.5f));
        q = VectorMath.MultiplyAdd(q, r, Vector128.Create(1f));
        var power = Vector128.ShiftLeft(Vector128.ConvertToInt32(k), 23) + Vector128.Create(1f).AsInt32(); // 2^k
        return (r * q, power.AsSingle());
    }

    /// <summary>min(x, limit) in two instructions (NaN becomes limit: <see cref="KeepNaN(Vector128{float}, Vector128{float})"/> restores it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> AtMost(Vector128<float> x, float limit) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(limit)), x, Vector128.Create(limit));

    /// <summary>NaN in, NaN out (the clamps would turn it into a number).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> KeepNaN(Vector128<float> x, Vector128<float> result) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
}
