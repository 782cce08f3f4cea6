using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompiledNets;

/// <summary>
/// Element-wise activation derivatives over a whole layer output. They gain nothing from knowing the
/// shape, so they live here once instead of in every generated network.
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
}
