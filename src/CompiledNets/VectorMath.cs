using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets;

/// <summary>
/// The few vector operations generated kernels need beyond <see cref="Vector512"/>'s own, one overload per
/// width so an emitter writes the same call for every segment of a channel run. All inline to one or two
/// instructions (a horizontal Sum to eight); the .NET 8 build falls back to explicit x86 intrinsics where .NET 9
/// added portable ones.
/// Each body is made of intrinsics only, on purpose: the JIT force-inlines only one level deep, so a helper
/// calling another helper would leave a real call in the innermost loop of a kernel.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    /// <summary><c>a * b + c</c>, fused where the hardware has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector512.FusedMultiplyAdd(a, b, c);
#else
        return Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;
#endif
    }

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector256.MultiplyAddEstimate(a, b, c);
#else
        return Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
#endif
    }

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector128.MultiplyAddEstimate(a, b, c);
#else
        return Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
#endif
    }

    /// <summary>
    /// The lanes of <paramref name="whenTrue"/> where <paramref name="mask"/> (a comparison's result: every bit of a
    /// lane set or none) is set, the others from <paramref name="whenFalse"/>. <c>ConditionalSelect</c> does the same,
    /// but the JIT makes it one blend only when its mask is a comparison written in place; a mask kept in a local for
    /// two selections (a window's maximum and its position) cost three instructions per selection on AVX2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenTrue, Vector512<float> whenFalse) =>
        Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <inheritdoc cref="Select(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Select(Vector512<float> mask, Vector512<int> whenTrue, Vector512<int> whenFalse) =>
        Vector512.ConditionalSelect(mask.AsInt32(), whenTrue, whenFalse);

    /// <inheritdoc cref="Select(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) =>
        Avx.IsSupported ? Avx.BlendVariable(whenFalse, whenTrue, mask) : Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <inheritdoc cref="Select(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Select(Vector256<float> mask, Vector256<int> whenTrue, Vector256<int> whenFalse) =>
        Avx.IsSupported ? Avx.BlendVariable(whenFalse.AsSingle(), whenTrue.AsSingle(), mask).AsInt32() : Vector256.ConditionalSelect(mask.AsInt32(), whenTrue, whenFalse);

    /// <inheritdoc cref="Select(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) =>
        Sse41.IsSupported ? Sse41.BlendVariable(whenFalse, whenTrue, mask) : Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <inheritdoc cref="Select(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Select(Vector128<float> mask, Vector128<int> whenTrue, Vector128<int> whenFalse) =>
        Sse41.IsSupported ? Sse41.BlendVariable(whenFalse.AsSingle(), whenTrue.AsSingle(), mask).AsInt32() : Vector128.ConditionalSelect(mask.AsInt32(), whenTrue, whenFalse);

    /// <summary>Scalar <c>a * b + c</c> (the JIT emits one FMA instruction where available).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => a * b + c;

    /// <summary><c>max(x, 0)</c> lane-wise, as one <c>vmaxps</c> (no IEEE NaN fix-up, which ReLU does not need).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Relu(Vector512<float> x)
    {
#if NET9_0_OR_GREATER
        return Vector512.MaxNative(x, Vector512<float>.Zero);
#else
        return Vector512.Max(x, Vector512<float>.Zero);
#endif
    }

    /// <inheritdoc cref="Relu(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Relu(Vector256<float> x)
    {
#if NET9_0_OR_GREATER
        return Vector256.MaxNative(x, Vector256<float>.Zero);
#else
        return Vector256.Max(x, Vector256<float>.Zero);
#endif
    }

    /// <inheritdoc cref="Relu(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu(Vector128<float> x)
    {
#if NET9_0_OR_GREATER
        return Vector128.MaxNative(x, Vector128<float>.Zero);
#else
        return Vector128.Max(x, Vector128<float>.Zero);
#endif
    }

    /// <summary>Scalar <c>max(x, 0)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float x) => x > 0f ? x : 0f;

    /// <summary>The ReLU derivative applied to <paramref name="gradient"/>: kept where <paramref name="output"/> &gt; 0, else 0 (one compare and one AND).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ReluBackward(Vector512<float> output, Vector512<float> gradient) =>
        Vector512.BitwiseAnd(gradient, Vector512.GreaterThan(output, Vector512<float>.Zero));

    /// <inheritdoc cref="ReluBackward(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ReluBackward(Vector256<float> output, Vector256<float> gradient) =>
        Vector256.BitwiseAnd(gradient, Vector256.GreaterThan(output, Vector256<float>.Zero));

    /// <inheritdoc cref="ReluBackward(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ReluBackward(Vector128<float> output, Vector128<float> gradient) =>
        Vector128.BitwiseAnd(gradient, Vector128.GreaterThan(output, Vector128<float>.Zero));

    /// <summary>Scalar ReLU derivative applied to <paramref name="gradient"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReluBackward(float output, float gradient) => output > 0f ? gradient : 0f;

    /// <summary>Slope of <see cref="Activation.LeakyReLU"/> for negative inputs (Keras's and PyTorch's 0.01).</summary>
    public const float LeakySlope = 0.01f;

    /// <summary><c>x</c> where positive, else <c>0.01 x</c>: one multiply and one <c>vmaxps</c> (the slope is below 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LeakyRelu(Vector512<float> x)
    {
#if NET9_0_OR_GREATER
        return Vector512.MaxNative(x, x * LeakySlope);
#else
        return Vector512.Max(x, x * LeakySlope);
#endif
    }

    /// <inheritdoc cref="LeakyRelu(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LeakyRelu(Vector256<float> x)
    {
#if NET9_0_OR_GREATER
        return Vector256.MaxNative(x, x * LeakySlope);
#else
        return Vector256.Max(x, x * LeakySlope);
#endif
    }

    /// <inheritdoc cref="LeakyRelu(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LeakyRelu(Vector128<float> x)
    {
#if NET9_0_OR_GREATER
        return Vector128.MaxNative(x, x * LeakySlope);
#else
        return Vector128.Max(x, x * LeakySlope);
#endif
    }

    /// <summary>Scalar leaky ReLU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyRelu(float x) => x > 0f ? x : x * LeakySlope;

    /// <summary>
    /// The sum of the lanes, folding the upper half onto the lower down to 128 bits, then pairwise: 8 instructions
    /// for 512 bits where <see cref="Vector512.Sum{T}(Vector512{T})"/> takes 24 (it sums each 128-bit quarter on its
    /// own, then the four results one by one). Dot-product kernels end with one per output: in the tutorial's dense
    /// input gradient the 24 sums of a group were 13 % of the kernel. Intrinsics only, so it inlines whole.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value)
    {
        var half = value.GetLower() + value.GetUpper();
        return Vector128.Sum(half.GetLower() + half.GetUpper());
    }

    /// <inheritdoc cref="Sum(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector128.Sum(value.GetLower() + value.GetUpper());

    /// <inheritdoc cref="Sum(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);
}
