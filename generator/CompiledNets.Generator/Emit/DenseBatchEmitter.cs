using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The batched kernels of a large dense layer, over a chunk of samples stored back to back: a dense layer after
/// Flatten is bound by memory, not arithmetic, when its kernel is read once per sample. Here every kernel vector
/// loaded feeds a group of samples (forward, input gradient), so the kernel streams from memory once per chunk and
/// stays in cache between groups; and every kernel gradient vector is stored once per batch (weight gradient, run in
/// Reduce over the whole batch, each worker its rows).
/// </summary>
internal sealed class DenseBatchEmitter
{
    private readonly DensePlan _dense;
    private readonly string _n;
    private readonly Func<string, string> _activate;

    public DenseBatchEmitter(DensePlan dense, Func<string, string> activate)
    {
        _dense = dense;
        _n = dense.Name;
        _activate = activate;
    }

    private int Inputs => _dense.Input.Size;

    private int Units => _dense.Output.Size;

    /// <summary>
    /// Vectors of units per block: with the sample group's accumulators, within 16 (AVX2) or 32 (AVX-512) registers.
    /// AVX-512: four vectors of six samples (24 sums, 4 kernel vectors, 1 broadcast) load less per multiply-add than
    /// three of eight; on a Zen 5 core the tutorial's 3136 x 1024 forward over 32 samples went 1.64 → 1.39 ms and its
    /// kernel packing 0.69 → 0.56 ms (one run; five vectors of five measured within 3 % of four).
    /// </summary>
    private static int BlockVectors(SimdPath path) => path.Width == 16 ? 4 : 2;

    /// <summary>Samples (or kernel rows) computed together for a block of <paramref name="segments"/> vectors: accumulators + operands fit the registers.</summary>
    private static int GroupSize(SimdPath path, int segments)
    {
        return Math.Max(1, Math.Min(8, (path.Registers - segments - 1) / segments));
    }

    /// <summary>The unit blocks: a loop over full blocks, then the remainder (any widths) at a constant offset.</summary>
    private IReadOnlyList<ChannelBlock> UnitBlocks(SimdPath path) => UnitBlocksOf(_dense, path);

    private static IReadOnlyList<ChannelBlock> UnitBlocksOf(DensePlan dense, SimdPath path) =>
        ChannelBlocks.SplitInto(path, dense.Output.Size, BlockVectors(path), "unit", "units");

    // ---- forward ---------------------------------------------------------------------------------

    /// <summary>
    /// Kernel rows per pass of the forward kernel: a panel of about 256 KiB (half of a Zen 3 L2), which stays in L2
    /// while every unit block and sample group walks it. Fewer, longer passes store and reload the sums less often:
    /// the tutorial's 3136 x 1024 layer over 32 samples took 8.4 ms with 32-row panels and 6.6 ms with 64 or 128.
    /// </summary>
    private static int RowPanelOf(DensePlan dense) => Math.Max(8, Math.Min(dense.Input.Size, 64 * 1024 / dense.Output.Size));

    /// <summary>The samples a chunk needs for the forward kernel to read the packed kernel: one full group on <paramref name="path"/>.</summary>
    public static int PackingGroup(DensePlan dense, SimdPath path) =>
        UnitBlocksOf(dense, path).Max(block => GroupSize(path, block.Segments.Count));

    /// <summary>
    /// Kernel rows per pass when too few samples come for one group (Predict: one): a 32 KiB panel that L1 holds. With
    /// nothing to reuse the panel for, each pass streams its rows from memory, and few rows at a time stream best: the
    /// tutorial's layer for one sample took 0.69 ms with 8-row panels, 1.15 ms with 32 and 1.8 ms with 64.
    /// </summary>
    private int SingleSamplePanel => Math.Max(1, Math.Min(Inputs, 8 * 1024 / Units));

    /// <summary>The sample groups of the forward kernel: full groups, then pairs (two accumulator sets keep the FMAs busy), then one.</summary>
    private static IEnumerable<int> ForwardGroups(int full) => full > 2 ? new[] { full, 2, 1 } : full == 2 ? new[] { 2, 1 } : new[] { 1 };

    /// <summary>
    /// Per panel of kernel rows, unit block and group of samples: the accumulators start at the bias (first panel) or
    /// the partial sums so far, each kernel row's vectors are loaded once for the whole group, and the last panel
    /// stores the activation. With a full group of samples the rows come from packedKernel, the kernel packed panel
    /// by panel and block after block at the start of the batch (Dense{n}PackKernel): a unit block's rows then lie side
    /// by side for every group that walks them, where in the kernel they lie a row apart (4 KiB for 1024 units: the
    /// same L1 set, the next page) and were fetched again from L2 by each group. Each sum still adds the rows in
    /// order: packing changes no bit.
    /// </summary>
    public void EmitForwardVector(SourceWriter w, SimdPath path)
    {
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {_n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {_n}BiasOffset);");
        var blocks = UnitBlocks(path).ToArray();
        w.Line($"bool packed = count >= {PackingGroup(_dense, path)}; // enough samples to reuse each kernel vector: the batch packed the kernel for them");
        w.Line($"int panel = packed ? {Code.Int(RowPanelOf(_dense))} : {Code.Int(SingleSamplePanel)};");
        using (w.Block("for (nint first = 0; first < " + _n + "Inputs; first += panel) // nint: the JIT folds \"i + a constant\" into the addresses"))
        {
            w.Line($"nint end = {Types.Math}.Min(first + panel, {_n}Inputs);");
            w.Line("nint rows = end - first;");
            w.Line("bool last = end == " + _n + "Inputs;");
            w.Line($"ref float packedPanel = ref {Types.Unsafe}.Add(ref packedKernel, first * {_n}Units); // the panel's blocks: the one at unit u starts at u * rows");
            foreach (var block in blocks)
            {
                using var _ = w.Block(block.LoopHeader!);
                var seg = block.Segments;
                int width = BlockWidth(block);
                w.Line($"ref float panelBlock = ref packed ? ref {Types.Unsafe}.Add(ref packedPanel, {Code.Times(block.Offset, "(int)rows")}) : ref {Types.Unsafe}.Add(ref kernel, first * {_n}Units + {block.Offset});");
                w.Line($"nint rowStride = packed ? {Code.Int(width)} : {_n}Units;");
                w.Line("int sample = 0;");
                int group = GroupSize(path, seg.Count);
                foreach (int size in ForwardGroups(group))
                {
                    string loop = size == 1 ? "for (; sample < count; sample++)" : $"for (; sample <= count - {size}; sample += {size})";
                    using (w.Block(loop))
                        EmitForwardGroup(w, block, size);
                }
            }
        }
    }

    /// <summary>
    /// Worker <c>workerIndex</c>'s share of the panels of <c>packedKernel</c>: each panel's rows in order, each unit
    /// block's part of them side by side. The layout depends on the vector width, so this runs on the path the
    /// forward kernel runs on (the scalar forward reads the kernel itself).
    /// </summary>
    public void EmitPackKernelVector(SourceWriter w, SimdPath path)
    {
        var blocks = UnitBlocks(path).ToArray();
        int panelRows = RowPanelOf(_dense), panels = (Inputs + panelRows - 1) / panelRows;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {_n}KernelOffset);");
        w.Line($"int firstPanel = {panels} * workerIndex / workerCount, endPanel = {panels} * (workerIndex + 1) / workerCount;");
        using (w.Block("for (int p = firstPanel; p < endPanel; p++)"))
        {
            w.Line($"nint first = (nint)p * {Code.Int(panelRows)};");
            w.Line($"nint rows = {Types.Math}.Min({Code.Int(panelRows)}, {_n}Inputs - first);");
            w.Line($"ref float packedPanel = ref {Types.Unsafe}.Add(ref packedKernel, first * {_n}Units);");
            using (w.Block("for (nint r = 0; r < rows; r++)"))
            {
                w.Line($"ref float source = ref {Types.Unsafe}.Add(ref kernel, (first + r) * {_n}Units);");
                EmitPackRow(w, blocks, "packedPanel", "(int)rows", "(int)r");
            }
        }
    }

    private static int BlockWidth(ChannelBlock block) => block.Segments[block.Segments.Count - 1].Offset + block.Segments[block.Segments.Count - 1].Width;

    private void EmitForwardGroup(SourceWriter w, ChannelBlock block, int group)
    {
        var seg = block.Segments;
        w.Line($"ref float x = ref {Types.Unsafe}.Add(ref input, sample * {_n}Inputs + first);");
        for (int g = 0; g < group; g++)
        {
            w.Line($"ref float y{g} = ref {Types.Unsafe}.Add(ref output, (sample + {g}) * {_n}Units);");
            for (int k = 0; k < seg.Count; k++)
                w.Line($"var acc{g}_{k} = first == 0 ? {seg[k].Load("bias", block.Offset)} : {seg[k].Load("y" + g, block.Offset)};");
        }
        w.Line("ref float row = ref panelBlock;");
        using (w.Block("for (nint i = 0; i < rows; i++, row = ref " + Types.Unsafe + ".Add(ref row, rowStride))"))
        {
            for (int k = 0; k < seg.Count; k++)
                w.Line($"var w{k} = {seg[k].Load("row", "0")};");
            var inputs = new InputBroadcast(seg);
            for (int g = 0; g < group; g++)
            {
                w.Line(inputs.Declare("x" + g, $"{Types.Unsafe}.Add(ref x, {(g == 0 ? "i" : $"{g} * {_n}Inputs + i")})"));
                for (int k = 0; k < seg.Count; k++)
                    w.Line($"acc{g}_{k} = {Types.VectorMath}.MultiplyAdd({inputs.For("x" + g, seg[k])}, w{k}, acc{g}_{k});");
            }
        }
        for (int g = 0; g < group; g++)
        {
            for (int k = 0; k < seg.Count; k++)
            {
                string activated = _activate($"acc{g}_{k}");
                string value = activated == $"acc{g}_{k}" ? activated : $"last ? {activated} : acc{g}_{k}";
                w.Line(seg[k].Store(value, "y" + g, block.Offset));
            }
        }
    }

    /// <summary>
    /// Copies the row of units at <c>source</c> into <paramref name="packed"/>, which holds <paramref name="rowCount"/>
    /// such rows block by block: the block at unit u starts at u * rowCount, and this row's part of it at
    /// <paramref name="row"/> times the block's width.
    /// </summary>
    private static void EmitPackRow(SourceWriter w, ChannelBlock[] blocks, string packed, string rowCount, string row)
    {
        foreach (var block in blocks)
        {
            using var _ = w.Block(block.LoopHeader!);
            w.Line($"ref float target = ref {Types.Unsafe}.Add(ref {packed}, {Code.Sum(Code.Times(block.Offset, rowCount), $"{row} * {Code.Int(BlockWidth(block))}")});");
            foreach (var s in block.Segments)
                w.Line(s.Store(s.Load("source", block.Offset), "target", "0"));
        }
    }

    public void EmitForwardScalar(SourceWriter w)
    {
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {_n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {_n}BiasOffset);");
        using (w.Block("for (int sample = 0; sample < count; sample++)"))
        using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
        {
            w.Line($"float sum = {Types.Unsafe}.Add(ref bias, unit);");
            using (w.Block($"for (int i = 0; i < {_n}Inputs; i++)"))
                w.Line($"sum += {Types.Unsafe}.Add(ref input, sample * {_n}Inputs + i) * {Types.Unsafe}.Add(ref kernel, i * {_n}Units + unit);");
            w.Line($"{Types.Unsafe}.Add(ref output, sample * {_n}Units + unit) = {_activate("sum")};");
        }
    }

    // ---- backward: kernel weights, from the whole batch ------------------------------------------

    /// <summary>
    /// Kernel rows computed together on <paramref name="path"/>: as many as the widest unit block leaves registers
    /// for (each row one accumulator per vector of the block, plus the block's output-gradient vectors and a broadcast).
    /// </summary>
    public static int WeightRowsOf(DensePlan dense, SimdPath path) =>
        GroupSize(path, UnitBlocksOf(dense, path).Max(b => b.Segments.Count));

    /// <summary>
    /// Kernel rows per piece of a worker's slice in Reduce: whole groups of <see cref="WeightRowsOf"/>, about 4096
    /// floats (a 1024-unit layer: one group), so the optimizer steps a piece while its gradients are still in cache.
    /// </summary>
    public static int RowsPerPiece(DensePlan dense, SimdPath? path)
    {
        int group = path is { } vector ? WeightRowsOf(dense, vector) : 1;
        return group * Math.Max(1, 4096 / (group * dense.Output.Size));
    }

    /// <summary>
    /// Each unit block of each sample's output gradients goes to where the whole batch's lie side by side (the block
    /// at unit u starts at u * total, sample s's part s * the block's width after it): the weight-gradient kernel then
    /// reads a block's vectors of consecutive samples one after another, where the samples' rows lie a layer's width
    /// apart (4 KiB for 1024 units: one L1 set, so every group of rows fetched them again from L2).
    /// </summary>
    public void EmitPackOutputGradientsVector(SourceWriter w, SimdPath path)
    {
        var blocks = UnitBlocks(path).ToArray();
        using (w.Block("for (int sample = 0; sample < count; sample++)"))
        {
            w.Line($"ref float source = ref {Types.Unsafe}.Add(ref outputGradient, sample * {_n}Units);");
            EmitPackRow(w, blocks, "batchOutputGradients", "total", "(first + sample)");
        }
    }

    public void EmitPackOutputGradientsScalar(SourceWriter w)
    {
        w.Line("// The scalar kernel reads the samples' rows as they are.");
        w.Line($"{Types.MemoryMarshal}.CreateReadOnlySpan(ref outputGradient, count * {_n}Units).CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref batchOutputGradients, first * {_n}Units), count * {_n}Units));");
    }

    /// <summary>
    /// Kernel gradient rows [firstRow, endRow), each gradient vector summed over every sample of the batch in sample
    /// order (a row group's accumulators, one output-gradient vector and one input value per sample and row) and
    /// stored once. Each float is one chain of multiply-adds from zero over the samples, whichever rows are grouped,
    /// so its bits depend on the batch alone, not on how the workers split it.
    /// </summary>
    public void EmitBatchWeightsVector(SourceWriter w, SimdPath path)
    {
        var blocks = UnitBlocks(path).ToArray();
        int rows = WeightRowsOf(_dense, path);
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {_n}KernelOffset);");
        // Rows outside, unit blocks inside: the gradient rows are walked in order (a large layer's rows lie a page apart).
        w.Line("nint i = firstRow; // nint: the JIT folds \"i + a constant\" into the addresses (an int costs a sign extension per load)");
        using (w.Block($"for (; i <= endRow - {rows}; i += {rows})"))
            EmitWeightsRows(w, blocks, rows);
        using (w.Block("for (; i < endRow; i++)"))
            EmitWeightsRows(w, blocks, 1);
    }

    private void EmitWeightsRows(SourceWriter w, ChannelBlock[] blocks, int rows)
    {
        for (int r = 0; r < rows; r++)
            w.Line($"ref float row{r} = ref {Types.Unsafe}.Add(ref kernelGradient, {(r == 0 ? "i" : $"(i + {r})")} * {_n}Units);");
        foreach (var block in blocks)
        {
            using var _ = w.Block(block.LoopHeader!);
            var seg = block.Segments;
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < seg.Count; k++)
                    w.Line($"var g{r}_{k} = {seg[k].Zero};");
            w.Line($"ref float d = ref {Types.Unsafe}.Add(ref batchOutputGradients, {Code.Times(block.Offset, "total")});");
            using (w.Block($"for (int sample = 0; sample < total; sample++, d = ref {Types.Unsafe}.Add(ref d, {Code.Int(BlockWidth(block))}))"))
            {
                w.Line($"ref float x = ref {Types.Unsafe}.Add(ref batchInputs, sample * {_n}Inputs + i);");
                for (int k = 0; k < seg.Count; k++)
                    w.Line($"var d{k} = {seg[k].Load("d", "0")};");
                var inputs = new InputBroadcast(seg);
                for (int r = 0; r < rows; r++)
                {
                    w.Line(inputs.Declare("x" + r, $"{Types.Unsafe}.Add(ref x, {r})"));
                    for (int k = 0; k < seg.Count; k++)
                        w.Line($"g{r}_{k} = {Types.VectorMath}.MultiplyAdd({inputs.For("x" + r, seg[k])}, d{k}, g{r}_{k});");
                }
            }
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < seg.Count; k++)
                    w.Line(seg[k].Store($"g{r}_{k}", "row" + r, block.Offset));
        }
    }

    public void EmitBatchWeightsScalar(SourceWriter w)
    {
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {_n}KernelOffset);");
        using (w.Block("for (int i = firstRow; i < endRow; i++)"))
        using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
        {
            w.Line("float sum = 0;");
            using (w.Block("for (int sample = 0; sample < total; sample++)"))
                w.Line($"sum += {Types.Unsafe}.Add(ref batchInputs, sample * {_n}Inputs + i) * {Types.Unsafe}.Add(ref batchOutputGradients, sample * {_n}Units + unit);");
            w.Line($"{Types.Unsafe}.Add(ref kernelGradient, i * {_n}Units + unit) = sum;");
        }
    }

    // ---- backward: input gradient ----------------------------------------------------------------

    /// <summary>Samples per group of the input gradient: 12 dot products in flight with three rows (AVX2), 24 with six (AVX-512).</summary>
    private const int InputGroup = 4;

    /// <summary>
    /// Kernel rows per group: every output-gradient vector loaded (from L2: the chunk's gradients outgrow L1) feeds
    /// that many rows. With two, the tutorial's 3136 x 1024 layer took 3.7 ms for 32 samples on AVX2; with three,
    /// 3.1 ms. AVX-512 has the registers for six rows of four samples (24 dot products, 6 kernel vectors, 1
    /// gradient vector), halving the L2 traffic per multiply-add: on a Zen 5 core three rows of eight samples took
    /// 3.2 ms, six rows of four 2.2 ms (one run); seven of three, four of six and eight of two were 5-18 % slower.
    /// </summary>
    private static int InputRows(SimdPath path) => path.Width == 16 ? 6 : 3;

    /// <summary>
    /// d(input)[s][i] = kernel row i · d(output)[s]: for a few rows and a group of samples at once, each kernel vector
    /// is loaded once per group, with one horizontal sum per row and sample at the end.
    /// </summary>
    public void EmitInputVector(SourceWriter w, SimdPath path)
    {
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {_n}KernelOffset);");
        int group = InputGroup, rows = InputRows(path);
        w.Line("nint i = 0; // nint: the JIT folds \"i + a constant\" into the addresses (an int costs a sign extension per load)");
        using (w.Block($"for (; i <= {_n}Inputs - {rows}; i += {rows})"))
            EmitInputSamples(w, path, rows, group);
        using (w.Block($"for (; i < {_n}Inputs; i++)"))
            EmitInputSamples(w, path, 1, group);
    }

    private void EmitInputSamples(SourceWriter w, SimdPath path, int rows, int group)
    {
        w.Line("int sample = 0;");
        using (w.Block($"for (; sample <= count - {group}; sample += {group})"))
            EmitInputDots(w, path, rows, group);
        using (w.Block("for (; sample < count; sample++)"))
            EmitInputDots(w, path, rows, 1);
    }

    private void EmitInputDots(SourceWriter w, SimdPath path, int rows, int group)
    {
        int full = Units / path.Width * path.Width;
        string type = path.Whole.Type, cls = path.Whole.Class;
        for (int r = 0; r < rows; r++)
            w.Line($"ref float row{r} = ref {Types.Unsafe}.Add(ref kernel, {(r == 0 ? "i" : $"(i + {r})")} * {_n}Units);");
        for (int g = 0; g < group; g++)
            w.Line($"ref float d{g} = ref {Types.Unsafe}.Add(ref outputGradient, (sample + {g}) * {_n}Units);");
        for (int r = 0; r < rows; r++)
            for (int g = 0; g < group; g++)
                w.Line($"var dot{r}_{g} = {type}.Zero;");
        if (full > 0)
        {
            using (w.Block($"for (int unit = 0; unit < {Code.Int(full)}; unit += {path.Width})"))
            {
                for (int r = 0; r < rows; r++)
                    w.Line($"var w{r} = {cls}.LoadUnsafe(ref row{r}, (nuint)unit);");
                for (int g = 0; g < group; g++)
                {
                    w.Line($"var v{g} = {cls}.LoadUnsafe(ref d{g}, (nuint)unit);");
                    for (int r = 0; r < rows; r++)
                        w.Line($"dot{r}_{g} = {Types.VectorMath}.MultiplyAdd(w{r}, v{g}, dot{r}_{g});");
                }
            }
        }
        for (int r = 0; r < rows; r++)
        {
            for (int g = 0; g < group; g++)
            {
                string sum = path.Whole.Sum($"dot{r}_{g}");
                foreach (var s in path.Segments(Units - full))
                {
                    var tail = s with { Offset = full + s.Offset };
                    sum += $" + {tail.Sum($"{tail.Load("row" + r, "0")} * {tail.Load("d" + g, "0")}")}";
                }
                w.Line($"{Types.Unsafe}.Add(ref inputGradient, (sample + {g}) * {_n}Inputs + i{(r == 0 ? "" : " + " + r)}) = {sum};");
            }
        }
    }

    public void EmitInputScalar(SourceWriter w)
    {
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {_n}KernelOffset);");
        using (w.Block("for (int sample = 0; sample < count; sample++)"))
        using (w.Block($"for (int i = 0; i < {_n}Inputs; i++)"))
        {
            w.Line("float sum = 0f;");
            using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
                w.Line($"sum += {Types.Unsafe}.Add(ref kernel, i * {_n}Units + unit) * {Types.Unsafe}.Add(ref outputGradient, sample * {_n}Units + unit);");
            w.Line($"{Types.Unsafe}.Add(ref inputGradient, sample * {_n}Inputs + i) = sum;");
        }
    }
}
