using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// A convolution followed by a max pool whose windows tile its output: one kernel computes each pool window's
/// conv pixels in registers, keeps their maximum (bias added, activation applied once, after the maximum: every
/// activation here is non-decreasing) and the window position it came from. The conv output is never stored and
/// never read back, and the pool layer has no forward pass of its own.
/// </summary>
internal sealed partial class ConvEmitter
{
    /// <summary>The max pool fused into this conv's forward pass, or null.</summary>
    public MaxPoolPlan? Pool { get; init; }

    private int PoolCells => Pool!.PoolSize * Pool.PoolSize;

    /// <summary>
    /// Accumulators a pooled block may hold: a window's conv pixels times the block's channel vectors. Half the
    /// registers, the rest for the window's input values and the kernel vectors; on AVX2, when the input channels
    /// are a loop, three quarters (12: a 2x2 window's pixels times 3 channel vectors), with the kernel vectors loaded
    /// first and one input value broadcast at a time (<see cref="PooledKernelVectorsFirst"/>).
    /// </summary>
    private int PooledAccumulators(SimdPath path) => PooledKernelVectorsFirst(path) ? path.Registers * 3 / 4 : path.Registers / 2;

    /// <summary>
    /// True on AVX2 when the input channels are a loop: 12 sums in flight instead of 8 (the FMA latency times its
    /// two ports, with nothing to spare). Not when the channels are unrolled: the JIT then shares the broadcasts of
    /// neighbouring taps across the unrolled code and spills them (the seed's 9 taps ran 65 % slower).
    /// </summary>
    private bool PooledKernelVectorsFirst(SimdPath path) => path.Registers == 16 && _conv.Input.Channels > MaxUnrolledPooledChannels;

    private IReadOnlyList<ChannelBlock> PooledBlocks(SimdPath path)
    {
        int blockVectors = System.Math.Max(1, PooledAccumulators(path) / PoolCells);
        return ChannelBlocks.SplitAbove(path, _conv.Output.Channels, blockVectors, blockVectors, "oc", "channels");
    }

    /// <summary>Offset in the (padded) input from a window's first conv pixel to the one at window position <paramref name="cell"/>.</summary>
    private int CellOffset(int cell)
    {
        int wy = cell / Pool!.PoolSize, wx = cell % Pool.PoolSize;
        return (wy * _conv.Stride * _conv.Padded.Width + wx * _conv.Stride) * _conv.Input.Channels;
    }

    /// <summary>The first input value of pool window (py, px): where its first conv pixel's taps start.</summary>
    private string WindowRef =>
        $"ref float window = ref {Types.Unsafe}.Add(ref input, (py * {Pool!.Name}PoolSize * {Name}Stride * {Name}{SourceWidth} + px * {Pool.Name}PoolSize * {Name}Stride) * {Name}InChannels);";

    /// <summary>The scalar references' conv pixel (oy, ox) at window position <c>cell</c> of pool window (py, px).</summary>
    private string CellPixel => $"int oy = py * {Pool!.Name}PoolSize + cell / {Pool.Name}PoolSize, ox = px * {Pool.Name}PoolSize + cell % {Pool.Name}PoolSize;";

    private string CellText(int cell) => $"window row {cell / Pool!.PoolSize}, column {cell % Pool.PoolSize}";

    /// <summary>
    /// True when inference has its own kernel that skips the window positions (<c>ForwardPooledMaxima</c>): when a
    /// window's sums are short, the positions' selections and store are a fair part of the work (the seed's 9 taps:
    /// 7.1 -> 5.9 us a sample; the tutorial's 25: -13 %). Beside 800 taps (the tutorial's second conv) they are noise,
    /// and the variant measured 1-7 % slower there, from code placement alone.
    /// </summary>
    public bool HasPooledMaxima => Pool is not null && Taps <= MaxTapsForMaxima;

    private const int MaxTapsForMaxima = 64;

    private void EmitPooledForward(SourceWriter w)
    {
        EmitPackKernel(w);
        string packed = PacksKernel ? $" The vector paths read the kernel from packedKernel ({Name}PackKernel)." : "";
        EmitDispatched(w, "ForwardPooled", $"ref float input, ref float parameters, ref float output, ref int argMax{PackedKernelParameter}", $"ref input, ref parameters, ref output, ref argMax{PackedKernelArgument}",
            $"Forward pass of one sample through this conv and {Pool!.Name}: the maximum of each window of conv outputs, activated, and the window position it came from.{packed}",
            (body, path) => EmitPooledVector(body, path, positions: true), body => EmitPooledScalar(body, positions: true));
        if (!HasPooledMaxima) return;
        EmitDispatched(w, "ForwardPooledMaxima", $"ref float input, ref float parameters, ref float output{PackedKernelParameter}", $"ref input, ref parameters, ref output{PackedKernelArgument}",
            $"{Name}ForwardPooled for inference, where no backward pass reads the window positions: the same maxima, bit for bit, without them.",
            (body, path) => EmitPooledVector(body, path, positions: false), body => EmitPooledScalar(body, positions: false));
    }

    /// <summary>
    /// Per pool window and channel block: the window's conv pixels accumulate side by side (each kernel vector loaded
    /// once for all of them), then the maximum and its position are taken across them and stored.
    /// </summary>
    private void EmitPooledVector(SourceWriter w, SimdPath path, bool positions)
    {
        string n = Name, p = Pool!.Name;
        int cells = PoolCells;
        if (!PacksKernel) w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        foreach (var block in PooledBlocks(path))
        {
            using var _ = OpenBlock(w, block);
            var segments = block.Segments;
            using (w.Block($"for (int py = 0; py < {p}OutHeight; py++)"))
            using (w.Block($"for (int px = 0; px < {p}OutWidth; px++)"))
            {
                w.Line(WindowRef);
                w.Line($"// the {cells} conv pixels of the window, {segments.Count} channel vector{(segments.Count == 1 ? "" : "s")} each: {cells * segments.Count} independent sums");
                int? packedWidth = PacksKernel ? BlockWidth(block) : null;
                EmitAccumulate(w, block, Enumerable.Range(0, cells).Select(CellOffset).ToArray(), body => ForEachRowTapInOrder(w, packedWidth, body), PooledKernelVectorsFirst(path), PacksKernel);
                w.Line($"int pixel = (py * {p}OutWidth + px) * {n}Filters;");
                for (int k = 0; k < segments.Count; k++)
                {
                    var s = segments[k];
                    using (w.Block($"// channels +{s.Offset}..{s.Offset + s.Width - 1}"))
                    {
                        ArgMaxSelection.Emit(w, s, Enumerable.Range(0, cells).Select(c => (c, $"acc{c}_{k}", CellText(c))).ToList(), positions);
                        ArgMaxSelection.Store(w, s, Code.Sum("pixel", block.Offset), Activate, positions);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The kernel row's taps in (column, input channel) order whatever the channel count, so every path sums in the
    /// same order as the scalar reference: equal sums pick the same window position on every path.
    /// The floats between one tap's kernel vectors and the next's: the filters in the kernel, the block's channels
    /// (<paramref name="packedWidth"/>) in the packed kernel.
    /// </summary>
    private void ForEachRowTapInOrder(SourceWriter w, int? packedWidth, System.Action<string, string> body)
    {
        int c = _conv.Input.Channels;
        int stride = packedWidth ?? _conv.Output.Channels;
        string kernelStride = packedWidth is { } width ? Code.Int(width) : $"{Name}Filters";
        for (int kx = 0; kx < _conv.KernelWidth; kx++)
        {
            if (c <= MaxUnrolledPooledChannels)
            {
                for (int ic = 0; ic < c; ic++)
                    using (w.Block($"// kernel column {kx}, input channel {ic}"))
                        body(Code.Int(kx * c + ic), Code.Int((kx * c + ic) * stride));
                continue;
            }
            string note = kx == 0 && IndexNote(c) is { } text ? "; " + text : "";
            using (w.Block($"for ({IndexType(c)} ic = 0; ic < {Name}InChannels; ic++) // kernel column {kx}{note}"))
                body(Code.Plus("ic", kx * c), Code.Plus($"ic * {kernelStride}", kx * c * stride));
        }
    }

    /// <summary>Input channels up to which the pooled kernel unrolls them (beyond, a loop per kernel column).</summary>
    private const int MaxUnrolledPooledChannels = 4;

    /// <summary>The reference: each conv pixel of the window summed with fused multiply-adds in the vector paths' order.</summary>
    private void EmitPooledScalar(SourceWriter w, bool positions)
    {
        string n = Name, p = Pool!.Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        using (w.Block($"for (int py = 0; py < {p}OutHeight; py++)"))
        using (w.Block($"for (int px = 0; px < {p}OutWidth; px++)"))
        using (w.Block($"for (int oc = 0; oc < {n}Filters; oc++)"))
        {
            w.Line("float best = 0f;");
            if (positions) w.Line("int bestAt = 0;");
            using (w.Block($"for (int cell = 0; cell < {p}PoolSize * {p}PoolSize; cell++)"))
            {
                w.Line(CellPixel);
                w.Line($"float sum = {Types.Unsafe}.Add(ref bias, oc);");
                EmitScalarTaps(w, $"sum = {Types.MathF}.FusedMultiplyAdd(x, {Types.Unsafe}.Add(ref kernel, {ScalarKernelIndex}), sum);");
                w.Line(positions ? "if (cell == 0 || sum > best) { best = sum; bestAt = cell; }" : "if (cell == 0 || sum > best) best = sum;");
            }
            w.Line($"{Types.Unsafe}.Add(ref output, (py * {p}OutWidth + px) * {n}Filters + oc) = {Activate("best")};");
            if (positions) w.Line($"{Types.Unsafe}.Add(ref argMax, (py * {p}OutWidth + px) * {n}Filters + oc) = bestAt;");
        }
    }
}
