using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets;

/// <summary>
/// Row-major matrix transposes for the dense layers with few units, whose kernels are read transposed once per
/// batch and whose gradients are added back in the Keras layout once per worker and batch. The generated code
/// calls these; a scalar element-by-element copy of the seed network's 5408x10 kernel took 40-50 µs, about as
/// long as the whole Adam step, because each element was its own load and store.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MatrixTranspose
{
    /// <summary>destination[c * rows + r] = source[r * columns + c] for the rows x columns matrix in <paramref name="source"/>.</summary>
    public static void Copy(ref float source, int rows, int columns, ref float destination) =>
        Transpose(ref source, rows, columns, ref destination, rows, add: false);

    /// <summary>destination[c * rows + r] += source[r * columns + c]: adds the transpose of <paramref name="source"/>.</summary>
    public static void Add(ref float source, int rows, int columns, ref float destination) =>
        Transpose(ref source, rows, columns, ref destination, rows, add: true);

    /// <summary>
    /// The rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) of <see cref="Copy"/>: destination[c * rows + r]
    /// = source[r * columns + c] for those r only, so that workers can each transpose a share of one matrix.
    /// </summary>
    public static void CopyRows(ref float source, int rows, int columns, int firstRow, int endRow, ref float destination) =>
        Transpose(ref Unsafe.Add(ref source, firstRow * columns), endRow - firstRow, columns, ref Unsafe.Add(ref destination, firstRow), rows, add: false);

    // destination[c * destinationStride + r] (+)= source[r * columns + c] for the rows x columns block at source.
    private static void Transpose(ref float source, int rows, int columns, ref float destination, int destinationStride, bool add)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            // Blocks of 8x8 through the registers: eight row loads, 24 shuffles, eight column stores.
            for (; r <= rows - 8; r += 8)
            {
                int c = 0;
                for (; c <= columns - 8; c += 8)
                    Block8x8(ref Unsafe.Add(ref source, r * columns + c), columns, ref Unsafe.Add(ref destination, c * destinationStride + r), destinationStride, add);
                for (; c < columns; c++)
                    for (int k = r; k < r + 8; k++)
                        Element(ref source, k, c, columns, ref destination, destinationStride, add);
            }
        }
        for (; r < rows; r++)
            for (int c = 0; c < columns; c++)
                Element(ref source, r, c, columns, ref destination, destinationStride, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Element(ref float source, int r, int c, int columns, ref float destination, int destinationStride, bool add)
    {
        float value = Unsafe.Add(ref source, r * columns + c);
        ref float target = ref Unsafe.Add(ref destination, c * destinationStride + r);
        target = add ? target + value : value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x8(ref float source, int sourceStride, ref float destination, int destinationStride, bool add)
    {
        var r0 = Vector256.LoadUnsafe(ref source, 0);
        var r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        var r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        var r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        var r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        var r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));

        // Interleave pairs of rows, then pairs of pairs: each 128-bit lane then holds a 4x4 quarter of the transpose.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0b01_00_01_00);
        var u1 = Avx.Shuffle(t0, t2, 0b11_10_11_10);
        var u2 = Avx.Shuffle(t1, t3, 0b01_00_01_00);
        var u3 = Avx.Shuffle(t1, t3, 0b11_10_11_10);
        var u4 = Avx.Shuffle(t4, t6, 0b01_00_01_00);
        var u5 = Avx.Shuffle(t4, t6, 0b11_10_11_10);
        var u6 = Avx.Shuffle(t5, t7, 0b01_00_01_00);
        var u7 = Avx.Shuffle(t5, t7, 0b11_10_11_10);

        // Column c of the block: the low lanes give columns 0-3, the high lanes columns 4-7.
        Store(Avx.Permute2x128(u0, u4, 0x20), ref destination, 0, add);
        Store(Avx.Permute2x128(u1, u5, 0x20), ref destination, destinationStride, add);
        Store(Avx.Permute2x128(u2, u6, 0x20), ref destination, 2 * destinationStride, add);
        Store(Avx.Permute2x128(u3, u7, 0x20), ref destination, 3 * destinationStride, add);
        Store(Avx.Permute2x128(u0, u4, 0x31), ref destination, 4 * destinationStride, add);
        Store(Avx.Permute2x128(u1, u5, 0x31), ref destination, 5 * destinationStride, add);
        Store(Avx.Permute2x128(u2, u6, 0x31), ref destination, 6 * destinationStride, add);
        Store(Avx.Permute2x128(u3, u7, 0x31), ref destination, 7 * destinationStride, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> column, ref float destination, int offset, bool add)
    {
        if (add) column += Vector256.LoadUnsafe(ref destination, (nuint)offset);
        column.StoreUnsafe(ref destination, (nuint)offset);
    }
}
