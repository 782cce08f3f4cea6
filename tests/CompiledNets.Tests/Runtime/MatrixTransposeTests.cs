using System;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class MatrixTransposeTests
{
    // Shapes around the 8x8 blocks: whole blocks, ragged rows and columns, fewer than 8 of either, and the seed
    // network's dense kernel both ways (5408x10 when transposed for the batch, 10x5408 when its gradient goes back).
    public static TheoryData<int, int> Shapes => new()
    {
        { 8, 8 }, { 16, 24 }, { 13, 10 }, { 10, 13 }, { 3, 5 }, { 1, 1 }, { 7, 9 }, { 5408, 10 }, { 10, 5408 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Copy_writes_every_element_at_its_transposed_place(int rows, int columns)
    {
        float[] source = Numbered(rows * columns);
        var destination = new float[rows * columns + 1];
        destination[^1] = -1f; // a sentinel just past the matrix
        MatrixTranspose.Copy(ref source[0], rows, columns, ref destination[0]);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                Assert.Equal(source[r * columns + c], destination[c * rows + r]);
        Assert.Equal(-1f, destination[^1]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Add_adds_the_transpose_to_what_is_there(int rows, int columns)
    {
        float[] source = Numbered(rows * columns);
        var destination = new float[rows * columns];
        for (int i = 0; i < destination.Length; i++) destination[i] = 0.5f * i;
        MatrixTranspose.Add(ref source[0], rows, columns, ref destination[0]);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                Assert.Equal(0.5f * (c * rows + r) + source[r * columns + c], destination[c * rows + r]);
    }

    [Theory]
    [InlineData(5408, 10, 2)]
    [InlineData(5408, 10, 3)]
    [InlineData(13, 10, 4)]
    [InlineData(84, 10, 16)] // more workers than 8-row blocks: some shares are empty
    [InlineData(7, 9, 2)]
    public void CopyRows_shares_together_write_what_Copy_writes_and_nothing_else(int rows, int columns, int workers)
    {
        float[] source = Numbered(rows * columns);
        var expected = new float[rows * columns + 1];
        MatrixTranspose.Copy(ref source[0], rows, columns, ref expected[0]);
        var destination = new float[rows * columns + 1];
        destination[^1] = expected[^1] = -1f; // a sentinel just past the matrix
        for (int w = workers - 1; w >= 0; w--) // any order: the shares do not overlap
        {
            // The shares the generated TransposeKernel takes: whole blocks of 8 rows, the last worker the rest.
            int first = (int)((long)rows * w / workers) & ~7;
            int end = w + 1 == workers ? rows : (int)((long)rows * (w + 1) / workers) & ~7;
            MatrixTranspose.CopyRows(ref source[0], rows, columns, first, end, ref destination[0]);
        }
        Assert.Equal(expected, destination);
    }

    [Fact]
    public void CopyRows_of_a_ragged_range_touches_only_its_columns_of_the_transpose()
    {
        const int rows = 21, columns = 11, first = 3, end = 17; // neither end on an 8-row block
        float[] source = Numbered(rows * columns);
        var destination = new float[rows * columns];
        Array.Fill(destination, float.NaN);
        MatrixTranspose.CopyRows(ref source[0], rows, columns, first, end, ref destination[0]);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                float value = destination[c * rows + r];
                if (r >= first && r < end) Assert.Equal(source[r * columns + c], value);
                else Assert.True(float.IsNaN(value), $"row {r} column {c} was written");
            }
    }

    // Distinct values (small integers and their negatives are exact in float), so a misplaced element shows.
    private static float[] Numbered(int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (i % 2 == 0 ? 1 : -1) * (i + 1);
        return values;
    }
}
