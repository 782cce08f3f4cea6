using System.Collections.Generic;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// What max and average pooling share: the window geometry as constants, the window positions unrolled,
/// channel segments per pixel, and the clearing the backward pass needs when windows overlap or leave gaps.
/// </summary>
internal abstract class PoolEmitter : LayerEmitter
{
    /// <summary>Channel segments up to which a pixel's channels are unrolled instead of looped.</summary>
    private const int MaxUnrolledSegments = 8;

    private readonly PoolPlan _plan;

    protected PoolEmitter(PoolPlan pool) : base(pool) => _plan = pool;

    protected bool IsTiling => _plan.IsTiling;

    public override void EmitConstants(SourceWriter w)
    {
        Shape i = Layer.Input, o = Layer.Output;
        Constants(w,
            ("InHeight", i.Height), ("InWidth", i.Width), ("Channels", i.Channels),
            ("OutHeight", o.Height), ("OutWidth", o.Width), ("PoolSize", _plan.PoolSize), ("Stride", _plan.Stride),
            ("InSize", i.Size), ("OutSize", o.Size));
    }

    /// <summary>Window positions (row-major) with their offset from the window origin in the input.</summary>
    protected IEnumerable<(int Position, int Offset)> WindowPositions()
    {
        for (int ky = 0; ky < _plan.PoolSize; ky++)
            for (int kx = 0; kx < _plan.PoolSize; kx++)
                yield return (ky * _plan.PoolSize + kx, (ky * Layer.Input.Width + kx) * Layer.Input.Channels);
    }

    protected string WindowCell(int position) => $"window row {position / _plan.PoolSize}, column {position % _plan.PoolSize}";

    /// <summary>
    /// Overlapping windows accumulate, and rows or columns past the last whole window (or between windows, for a
    /// stride above the pool size) get no gradient: then the whole input gradient is cleared first.
    /// </summary>
    protected void EmitClearUncovered(SourceWriter w)
    {
        if (!IsTiling)
        {
            w.Line(_plan.Stride < _plan.PoolSize
                ? "// Overlapping windows: gradients of shared positions add up, from zero."
                : "// Windows leave gaps: the positions between them get zero gradient.");
            w.Line($"{Types.MemoryMarshal}.CreateSpan(ref inputGradient, {Name}InSize).Clear();");
            return;
        }
        bool uncovered = Layer.Output.Height * _plan.Stride != Layer.Input.Height || Layer.Output.Width * _plan.Stride != Layer.Input.Width;
        if (uncovered)
        {
            w.Line("// The last rows or columns lie outside every window: their gradient is zero.");
            w.Line($"{Types.MemoryMarshal}.CreateSpan(ref inputGradient, {Name}InSize).Clear();");
        }
    }

    /// <summary>Emits <paramref name="body"/> per channel segment, unrolled for few channels, else a loop over full vectors plus the tail.</summary>
    protected void ForEachChannelSegment(SourceWriter w, SimdPath path, System.Action<Segment, string> body)
    {
        var segments = path.Segments(Layer.Input.Channels);
        if (segments.Count <= MaxUnrolledSegments)
        {
            foreach (var s in segments)
                using (w.Block($"// channels {s.Offset}..{s.Offset + s.Width - 1}"))
                    body(s with { Offset = 0 }, Code.Int(s.Offset));
            return;
        }
        int full = Layer.Input.Channels / path.Width * path.Width;
        using (w.Block($"for (int c = 0; c < {Code.Int(full)}; c += {Code.Int(path.Width)})"))
            body(path.Whole, "c");
        foreach (var s in path.Segments(Layer.Input.Channels - full))
            using (w.Block($"// channels {full + s.Offset}..{full + s.Offset + s.Width - 1}"))
                body(s with { Offset = 0 }, Code.Int(full + s.Offset));
    }
}
