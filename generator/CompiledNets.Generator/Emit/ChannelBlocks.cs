using System.Collections.Generic;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Splits a run of channels (or units) into register-sized blocks: one block of constant offsets when all
/// segments fit in registers, otherwise a loop over full blocks of <see cref="BlockVectors"/> vectors plus a
/// remainder block, so the number of live accumulators stays within the 32 vector registers of AVX-512.
/// </summary>
/// <param name="LoopHeader">The loop over full blocks, a comment opening the remainder's scope, or null for the single block.</param>
/// <param name="Offset">Channel offset of the block: the loop variable or a constant.</param>
/// <param name="Segments">The block's vectors, offsets relative to <paramref name="Offset"/>.</param>
internal sealed record ChannelBlock(string? LoopHeader, string Offset, IReadOnlyList<Segment> Segments);

internal static class ChannelBlocks
{
    /// <summary>Most accumulators held in registers at once.</summary>
    public const int MaxSegments = 12;

    /// <summary>Vectors per block when the channels must be split.</summary>
    public const int BlockVectors = 8;

    /// <summary>True when <paramref name="count"/> channels take several blocks (a loop), so per-block results must be summed.</summary>
    public static bool IsSplit(SimdPath path, int count) => path.Segments(count).Count > MaxSegments;

    public static IReadOnlyList<ChannelBlock> Split(SimdPath path, int count, string loopVariable) =>
        SplitAbove(path, count, MaxSegments, BlockVectors, loopVariable);

    /// <summary>One block of all the segments when there are at most <paramref name="maxSegments"/>, else <see cref="SplitInto"/>.</summary>
    public static IReadOnlyList<ChannelBlock> SplitAbove(SimdPath path, int count, int maxSegments, int blockVectors, string loopVariable, string what = "of them")
    {
        var all = path.Segments(count);
        if (all.Count <= maxSegments)
            return new[] { new ChannelBlock(null, "0", all) };
        return SplitInto(path, count, blockVectors, loopVariable, what);
    }

    /// <summary>A loop over blocks of <paramref name="blockVectors"/> full vectors, then the remainder (any widths) at a constant offset.</summary>
    public static IReadOnlyList<ChannelBlock> SplitInto(SimdPath path, int count, int blockVectors, string loopVariable, string what = "of them")
    {
        int blockSize = blockVectors * path.Width;
        int fullBlocks = count / blockSize;
        var blocks = new List<ChannelBlock>();
        if (fullBlocks > 0)
        {
            blocks.Add(new($"for (int {loopVariable} = 0; {loopVariable} < {Code.Int(fullBlocks * blockSize)}; {loopVariable} += {Code.Int(blockSize)})",
                loopVariable, path.Segments(blockSize)));
        }
        int rest = count - fullBlocks * blockSize;
        if (rest > 0)
            blocks.Add(new ChannelBlock($"// the last {Code.Int(rest)} {what}", Code.Int(fullBlocks * blockSize), path.Segments(rest)));
        return blocks;
    }
}
