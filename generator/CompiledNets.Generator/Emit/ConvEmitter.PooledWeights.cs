using System.Collections.Generic;
using System.Linq;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The weight gradient of a conv whose max pool is fused, read straight from the pool's output gradient and arg-max
/// positions: a window's gradient belongs to one conv pixel per channel, so each channel vector's gradient is split
/// into the window's cells in registers (the arg-max cell gets it, the others zero) and never written out as the
/// conv's full output gradient (the seed: 86 KB a sample, three quarters zeros, written by the pool's backward pass
/// and read back by the weight gradient).
/// </summary>
internal sealed partial class ConvEmitter
{
    /// <summary>
    /// True when one pass per channel vector holds every tap's gradient sum, the bias sum, the window's cell
    /// gradients and one input value in the 16 registers of AVX2 (the seed's 3x3 taps and 2x2 windows: 15), and the
    /// channels are whole 8-float vectors. Decided once for every path, as the backward pass calls one kernel.
    /// </summary>
    public bool HasPooledWeightGradient =>
        Pool is not null && _conv.Output.Channels % 8 == 0 && Taps + PoolCells + 2 <= SimdPath.Vector256.Registers;

    private void EmitPooledWeightGradient(SourceWriter w)
    {
        EmitDispatched(w, "BackwardWeightsPooled", "ref float input, ref float poolGradient, ref float gradients, ref int argMax", "ref input, ref poolGradient, ref gradients, ref argMax",
            $"Adds this sample's kernel and bias gradients to gradients from {Pool!.Name}'s output gradient (d(loss)/d(pre-activation) at the window maxima) and arg-max positions.",
            EmitPooledWeightsVector, EmitPooledWeightsScalar);
    }

    /// <summary>
    /// Per channel vector, every tap's sum in a register across all windows: each window's gradient is split into
    /// its cells, then each input value of the window's patch is broadcast once and multiplies the cell gradients
    /// of the (cell, tap) pairs that read it. Every tap's sum takes the cells in order, as the scalar reference does.
    /// </summary>
    private void EmitPooledWeightsVector(SourceWriter w, SimdPath path)
    {
        string n = Name, p = Pool!.Name;
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset);");
        var taps = AllTaps().ToList();
        int cells = PoolCells;
        var patch = Enumerable.Range(0, cells).SelectMany(c => taps.Select((tap, t) => (Offset: CellOffset(c) + tap.InputOffset, Cell: c, Tap: t)))
            .GroupBy(pair => pair.Offset).OrderBy(group => group.Key).ToList();
        // One vector per pass: a loop over the whole vectors, then (with 512 bits) a last 8-float vector.
        foreach (var block in ChannelBlocks.SplitInto(path, _conv.Output.Channels, blockVectors: 1, "oc", "channels"))
        {
            using var _ = OpenBlock(w, block);
            var s = block.Segments.Single(); // the channels are whole 8-float vectors
            w.Line($"// every tap's kernel gradient for these {s.Width} channels, and their bias gradient, summed over all windows in registers");
            for (int t = 0; t < taps.Count; t++)
                w.Line($"var g{t} = {s.Load("kernelGradient", Code.Sum(Code.Int(taps[t].KernelOffset), block.Offset))};");
            w.Line($"var b = {s.Load("biasGradient", block.Offset)};");
            using (w.Block($"for (int py = 0; py < {p}OutHeight; py++)"))
            using (w.Block($"for (int px = 0; px < {p}OutWidth; px++)"))
            {
                w.Line(WindowRef);
                w.Line($"nint pixel = (py * {p}OutWidth + px) * {n}Filters + {block.Offset};");
                w.Line($"var d = {s.Class}.LoadUnsafe(ref poolGradient, (nuint)pixel);");
                w.Line($"var at = {s.Class}.LoadUnsafe(ref argMax, (nuint)pixel);");
                w.Line("b += d;");
                w.Line("// the window's gradient goes to its arg-max cell; the other cells' conv outputs get none");
                for (int c = 0; c < cells; c++)
                    w.Line($"var d{c} = {s.Class}.ConditionalSelect({s.Class}.AsSingle({s.Class}.Equals(at, {s.Class}.Create({c}))), d, {s.Zero}); // {CellText(c)}");
                w.Line($"// each input value under the window, broadcast once, times the cells' gradients of the taps that read it");
                foreach (var group in patch)
                {
                    using (w.Block($"// input +{group.Key}"))
                    {
                        w.Line($"var x = {s.Broadcast($"{Types.Unsafe}.Add(ref window, {group.Key})")};");
                        foreach (var pair in group.OrderBy(pair => pair.Cell))
                            w.Line($"g{pair.Tap} = {Types.VectorMath}.MultiplyAdd(x, d{pair.Cell}, g{pair.Tap});");
                    }
                }
            }
            for (int t = 0; t < taps.Count; t++)
                w.Line(s.Store($"g{t}", "kernelGradient", Code.Sum(Code.Int(taps[t].KernelOffset), block.Offset)));
            w.Line(s.Store("b", "biasGradient", block.Offset));
        }
    }

    /// <summary>The reference: per window and channel, the gradient at its arg-max cell, then every tap in order.</summary>
    private void EmitPooledWeightsScalar(SourceWriter w)
    {
        string n = Name, p = Pool!.Name;
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset);");
        using (w.Block($"for (int oc = 0; oc < {n}Filters; oc++)"))
        using (w.Block($"for (int py = 0; py < {p}OutHeight; py++)"))
        using (w.Block($"for (int px = 0; px < {p}OutWidth; px++)"))
        {
            w.Line($"int pixel = (py * {p}OutWidth + px) * {n}Filters + oc;");
            w.Line($"float d = {Types.Unsafe}.Add(ref poolGradient, pixel);");
            w.Line($"int at = {Types.Unsafe}.Add(ref argMax, pixel);");
            w.Line($"{Types.Unsafe}.Add(ref biasGradient, oc) += d;");
            using (w.Block($"for (int cell = 0; cell < {p}PoolSize * {p}PoolSize; cell++)"))
            {
                w.Line("float cellGradient = at == cell ? d : 0f;");
                w.Line(CellPixel);
                EmitScalarTaps(w, $"ref float g = ref {Types.Unsafe}.Add(ref kernelGradient, {ScalarKernelIndex});", $"g = {Types.MathF}.FusedMultiplyAdd(x, cellGradient, g);");
            }
        }
    }
}
