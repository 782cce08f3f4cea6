using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Conv2D (valid padding, any stride): forward with bias and activation fused into the output store, and the
/// backward pair — weight/bias gradients and input gradient — each specialized per vector width, vectorized
/// over output channels (channels last), the kernel window unrolled.
/// </summary>
internal sealed partial class ConvEmitter : LayerEmitter
{
    /// <summary>Statements per kernel row above which the input-channel loop stays a loop instead of being unrolled.</summary>
    private const int MaxUnrolledRowStatements = 160;

    /// <summary>Passes over the pixels beyond which the weight gradient is accumulated in memory instead (code size, re-reads).</summary>
    private const int MaxRegisterPasses = 16;

    private readonly ConvPlan _conv;

    public ConvEmitter(ConvPlan conv) : base(conv) => _conv = conv;

    private int Taps => _conv.KernelHeight * _conv.KernelWidth * _conv.Input.Channels;

    /// <summary>Constant names of the width and size of the input the kernels read: the padded copy when there is one.</summary>
    private string SourceWidth => _conv.IsPadded ? "PaddedWidth" : "InWidth";

    private string SourceSize => _conv.IsPadded ? "PaddedSize" : "InSize";

    public override void EmitConstants(SourceWriter w)
    {
        Shape i = _conv.Input, o = _conv.Output;
        Constants(w,
            ("InHeight", i.Height), ("InWidth", i.Width), ("InChannels", i.Channels),
            ("OutHeight", o.Height), ("OutWidth", o.Width), ("Filters", o.Channels),
            ("KernelHeight", _conv.KernelHeight), ("KernelWidth", _conv.KernelWidth), ("Stride", _conv.Stride),
            ("KernelOffset", _conv.KernelOffset), ("BiasOffset", _conv.BiasOffset),
            ("InSize", i.Size), ("OutSize", o.Size));
        if (_conv.GathersInputGradient)
            Constants(w, ("GradientWidth", _conv.PaddedOutputGradient.Width));
        if (_conv.IsPadded)
        {
            Shape p = _conv.Padded;
            Constants(w,
                ("PadTop", _conv.Pad.Top), ("PadLeft", _conv.Pad.Left),
                ("PaddedHeight", p.Height), ("PaddedWidth", p.Width), ("PaddedSize", p.Size));
        }
    }

    public override string Describe() =>
        $"Conv2D #{_conv.Position}: {_conv.Input} -> {_conv.Output}, {_conv.KernelHeight}x{_conv.KernelWidth} kernel, stride {_conv.Stride}, {PaddingText}, {ActivationText(_conv.Activation)}";

    private string PaddingText
    {
        get
        {
            var pad = _conv.Pad;
            if (!_conv.IsPadded) return "valid padding";
            return $"same padding (rows {pad.Top} above, {pad.Bottom} below; columns {pad.Left} left, {pad.Right} right)";
        }
    }

    public override void EmitMethods(SourceWriter w)
    {
        if (_conv.IsPadded) EmitPaddingCopies(w);
        if (Pool is not null)
        {
            EmitPooledForward(w);
        }
        else
        {
            EmitDispatched(w, "Forward", "ref float input, ref float parameters, ref float output", "ref input, ref parameters, ref output",
                "Forward pass of one sample: output = activation(conv(input, kernel) + bias).",
                EmitForwardVector, EmitForwardScalar);
        }
        if (HasPooledWeightGradient)
        {
            EmitPooledWeightGradient(w);
        }
        else
        {
            EmitDispatched(w, "BackwardWeights", $"ref float input, ref float outputGradient, ref float gradients{PackedOutputGradientParameter}", $"ref input, ref outputGradient, ref gradients{PackedOutputGradientArgument}",
                "Adds this sample's kernel and bias gradients to gradients; outputGradient is d(loss)/d(pre-activation)." +
                (PacksOutputGradient ? " Tiled paths copy it into packedOutputGradient (as many floats), each channel block's pixels side by side." : ""),
                EmitWeightsVector, EmitWeightsScalar);
        }
        if (_conv.GathersInputGradient)
        {
            EmitPackKernelByInputChannels(w);
            EmitDispatched(w, "BackwardInput", "ref float outputGradient, ref float parameters, ref float inputGradient, ref float paddedOutputGradient, ref float packedKernel", "ref outputGradient, ref parameters, ref inputGradient, ref paddedOutputGradient, ref packedKernel",
                $"Writes d(loss)/d(input) from d(loss)/d(pre-activation), gathered per input pixel from a zero-bordered copy of the output gradient (paddedOutputGradient, whose border stays zero)" +
                (TransposesOnSomePath ? ", on the paths it fits as a forward convolution of that copy with the kernel flipped and transposed" : "") +
                $". The vector paths read the kernel from packedKernel ({Name}PackKernelByInputChannels).",
                EmitStrideOneInputVector, EmitGatheredInputScalar);
        }
        else
        {
            EmitDispatched(w, "BackwardInput", "ref float outputGradient, ref float parameters, ref float inputGradient", "ref outputGradient, ref parameters, ref inputGradient",
                "Writes d(loss)/d(input) from d(loss)/d(pre-activation): the transposed convolution.",
                EmitInputVector, EmitInputScalar);
        }
    }

    // ---- padding: the kernels below slide over a zero-bordered copy of the input ---------------

    /// <summary>
    /// Same padding as a copy: the input's rows go into the middle of a buffer whose border stays zero (it is
    /// never written), so forward and weight-gradient kernels run the valid-padding loops with no bounds tests.
    /// The input gradient comes back the same way: computed for the padded copy, its middle copied out.
    /// </summary>
    private void EmitPaddingCopies(SourceWriter w)
    {
        string n = Name;
        w.Line("/// <summary>Copies the input into the middle of the zero-bordered buffer the kernels read.</summary>");
        using (w.Block($"private static void {n}Pad(ref float input, ref float padded)"))
        using (w.Block($"for (int y = 0; y < {n}InHeight; y++)"))
        {
            w.Line($"{Types.MemoryMarshal}.CreateReadOnlySpan(ref {Types.Unsafe}.Add(ref input, y * {n}InWidth * {n}InChannels), {n}InWidth * {n}InChannels)");
            w.Line($"    .CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref padded, (({n}PadTop + y) * {n}PaddedWidth + {n}PadLeft) * {n}InChannels), {n}InWidth * {n}InChannels));");
        }
        w.Line();
        w.Line("/// <summary>Copies the middle of the padded input's gradient out: the border's gradient belongs to no input.</summary>");
        using (w.Block($"private static void {n}Unpad(ref float paddedGradient, ref float inputGradient)"))
        using (w.Block($"for (int y = 0; y < {n}InHeight; y++)"))
        {
            w.Line($"{Types.MemoryMarshal}.CreateReadOnlySpan(ref {Types.Unsafe}.Add(ref paddedGradient, (({n}PadTop + y) * {n}PaddedWidth + {n}PadLeft) * {n}InChannels), {n}InWidth * {n}InChannels)");
            w.Line($"    .CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref inputGradient, y * {n}InWidth * {n}InChannels), {n}InWidth * {n}InChannels));");
        }
        w.Line();
    }

    // ---- forward -------------------------------------------------------------------------------

    private void EmitForwardVector(SourceWriter w, SimdPath path)
    {
        if (VectorizesAlongRows(path))
        {
            EmitRowVectorForward(w, path);
            return;
        }
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        foreach (var block in ForwardBlocks(path))
        {
            using var _ = OpenBlock(w, block);
            int pixels = PixelsPerStep(path, block.Segments.Count);
            using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
            {
                w.Line("int ox = 0;");
                if (pixels > 1)
                {
                    w.Line($"// {pixels} neighbouring pixels at a time: each kernel vector is loaded once for all of them, and");
                    w.Line($"// {pixels * block.Segments.Count} independent sums keep the FMA units busy instead of waiting on one another.");
                    using (w.Block($"for (; ox <= {n}OutWidth - {pixels}; ox += {pixels})"))
                        EmitForwardPixels(w, block, pixels);
                }
                using (w.Block($"for (; ox < {n}OutWidth; ox++)"))
                    EmitForwardPixels(w, block, 1);
            }
        }
    }

    /// <summary>
    /// Output-channel blocks of the forward kernel. Many channels go in blocks of two vectors, so that four pixels
    /// fit the registers beside them: per tap, two kernel loads and four broadcasts feed eight FMAs, where one
    /// pixel across all the channels would need a kernel load per FMA.
    /// </summary>
    private IReadOnlyList<ChannelBlock> ForwardBlocks(SimdPath path) =>
        path.Segments(_conv.Output.Channels).Count > 4 && _conv.Output.Width >= 4
            ? ChannelBlocks.SplitInto(path, _conv.Output.Channels, 2, "oc")
            : ChannelBlocks.Split(path, _conv.Output.Channels, "oc");

    /// <summary>
    /// Pixels computed together by the forward kernel: as many as the registers hold — one accumulator per
    /// pixel and channel vector, plus the kernel vectors and one broadcast per pixel — up to 4.
    /// </summary>
    private int PixelsPerStep(SimdPath path, int segments)
    {
        int pixels = 1;
        while (pixels < 4 && pixels < _conv.Output.Width && (pixels + 1) * segments + segments + pixels + 1 <= path.Registers)
            pixels++;
        return pixels;
    }

    /// <summary>The body for <paramref name="pixels"/> output pixels starting at (oy, ox), for one channel block.</summary>
    private void EmitForwardPixels(SourceWriter w, ChannelBlock block, int pixels)
    {
        string n = Name;
        var segments = block.Segments;
        w.Line($"ref float window = ref {Types.Unsafe}.Add(ref input, (oy * {n}Stride * {n}{SourceWidth} + ox * {n}Stride) * {n}InChannels);");
        int pixelStep = _conv.Stride * _conv.Input.Channels;
        EmitAccumulate(w, block, Enumerable.Range(0, pixels).Select(p => p * pixelStep).ToArray(),
            body => ForEachRowTap(w, segments.Count * (pixels + 1), body));
        w.Line($"ref float pixel = ref {Types.Unsafe}.Add(ref output, (oy * {n}OutWidth + ox) * {n}Filters);");
        for (int p = 0; p < pixels; p++)
            for (int k = 0; k < segments.Count; k++)
                w.Line(segments[k].Store(Activate($"acc{p}_{k}"), "pixel", Code.Sum(Code.Int(p * _conv.Output.Channels), block.Offset)));
    }

    /// <summary>
    /// Accumulators acc{p}_{k} for conv pixels at <paramref name="pointOffsets"/> from <c>window</c> (in the input)
    /// and the block's channel segments: started at the bias, then every tap of the kernel, in the order
    /// <paramref name="forEachRowTap"/> walks a kernel row. Each kernel vector is loaded once for all the pixels,
    /// each input value broadcast once (see <see cref="InputBroadcast"/>).
    /// </summary>
    private void EmitAccumulate(SourceWriter w, ChannelBlock block, int[] pointOffsets, System.Action<System.Action<string, string>> forEachRowTap, bool kernelVectorsFirst = false, bool packedKernel = false)
    {
        string n = Name;
        var segments = block.Segments;
        for (int p = 0; p < pointOffsets.Length; p++)
            for (int k = 0; k < segments.Count; k++)
                w.Line($"var acc{p}_{k} = {segments[k].Load("bias", block.Offset)};");
        var inputs = new InputBroadcast(segments);
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        {
            w.Line($"ref float row = ref {Types.Unsafe}.Add(ref window, ky * {n}{SourceWidth} * {n}InChannels);");
            w.Line(packedKernel ? PackedTaps(block) : $"ref float taps = ref {Types.Unsafe}.Add(ref kernel, ky * {n}KernelWidth * {n}InChannels * {n}Filters);");
            // In the packed kernel, taps already points at the block's part; in the kernel, the block starts at its first channel.
            string blockOffset = packedKernel ? "0" : block.Offset;
            forEachRowTap((tapInput, tapKernel) =>
            {
                string Input(int p) => $"{Types.Unsafe}.Add(ref row, {Code.Plus(tapInput, pointOffsets[p])})";
                if (kernelVectorsFirst)
                {
                    // the block's kernel vectors, then one input value at a time: accumulators + kernel vectors + one broadcast fill the registers
                    for (int k = 0; k < segments.Count; k++)
                        w.Line($"var w{k} = {segments[k].Load("taps", Code.Sum(tapKernel, blockOffset))};");
                    for (int p = 0; p < pointOffsets.Length; p++)
                    {
                        w.Line(inputs.Declare("x" + p, Input(p)));
                        for (int k = 0; k < segments.Count; k++)
                            w.Line($"acc{p}_{k} = {Types.VectorMath}.MultiplyAdd({inputs.For("x" + p, segments[k])}, w{k}, acc{p}_{k});");
                    }
                    return;
                }
                for (int p = 0; p < pointOffsets.Length; p++)
                    w.Line(inputs.Declare("x" + p, Input(p)));
                for (int k = 0; k < segments.Count; k++)
                {
                    var s = segments[k];
                    w.Line($"var w{k} = {s.Load("taps", Code.Sum(tapKernel, blockOffset))};");
                    for (int p = 0; p < pointOffsets.Length; p++)
                        w.Line($"acc{p}_{k} = {Types.VectorMath}.MultiplyAdd({inputs.For("x" + p, s)}, w{k}, acc{p}_{k});");
                }
            });
        }
    }

    /// <summary>
    /// The scalar references' walk of conv pixel (oy, ox)'s taps in (kernel row, column, input channel) order, the
    /// order every vector path sums in: <c>x</c> is the tap's input value, and <paramref name="statements"/> use it with
    /// the tap's kernel index (<see cref="ScalarKernelIndex"/>).
    /// </summary>
    private void EmitScalarTaps(SourceWriter w, params string[] statements)
    {
        string n = Name;
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        using (w.Block($"for (int kx = 0; kx < {n}KernelWidth; kx++)"))
        using (w.Block($"for (int ic = 0; ic < {n}InChannels; ic++)"))
        {
            w.Line($"float x = {Types.Unsafe}.Add(ref input, ((oy * {n}Stride + ky) * {n}{SourceWidth} + ox * {n}Stride + kx) * {n}InChannels + ic);");
            foreach (string statement in statements) w.Line(statement);
        }
    }

    /// <summary>Index in the kernel of tap (ky, kx, ic) for filter oc, in the scalar references.</summary>
    private string ScalarKernelIndex => $"((ky * {Name}KernelWidth + kx) * {Name}InChannels + ic) * {Name}Filters + oc";

    private void EmitForwardScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
        using (w.Block($"for (int ox = 0; ox < {n}OutWidth; ox++)"))
        using (w.Block($"for (int oc = 0; oc < {n}Filters; oc++)"))
        {
            w.Line($"float sum = {Types.Unsafe}.Add(ref bias, oc);");
            EmitScalarTaps(w, $"sum += x * {Types.Unsafe}.Add(ref kernel, {ScalarKernelIndex});");
            w.Line($"{Types.Unsafe}.Add(ref output, (oy * {n}OutWidth + ox) * {n}Filters + oc) = {Activate("sum")};");
        }
    }

    // ---- backward: weights and bias ----------------------------------------------------------

    private void EmitWeightsVector(SourceWriter w, SimdPath path)
    {
        if (WeightsAlongRows(path))
        {
            EmitRowVectorWeights(w, path);
            return;
        }
        string n = Name;
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset);");
        var segments = path.Segments(_conv.Output.Channels);
        if (!IsTiledWeights(path))
            EmitWeightsInRegisters(w, path, segments, TapsPerWeightsPass(path, segments.Count));
        else
            EmitWeightsTiled(w, path);
    }

    /// <summary>True when the weight gradient on <paramref name="path"/> loops over tiles (<see cref="EmitWeightsTiled"/>), not passes in registers.</summary>
    private bool IsTiledWeights(SimdPath path)
    {
        var segments = path.Segments(_conv.Output.Channels);
        int tapsPerPass = TapsPerWeightsPass(path, segments.Count);
        int passes = (Taps + tapsPerPass - 1) / tapsPerPass;
        return !(segments.Count <= AccumulatorRegisters(path) / 2 && passes <= MaxRegisterPasses);
    }

    /// <summary>
    /// True when the weight gradient takes a scratch buffer for the output gradient reordered by channel block
    /// (<see cref="EmitWeightsTiled"/>): when some path tiles it. The pooled weight gradient reads the pool's instead.
    /// </summary>
    public bool PacksOutputGradient => !HasPooledWeightGradient && (PacksWeightBlocks(SimdPath.Vector256) || PacksWeightBlocks(SimdPath.Vector512));

    /// <summary>The tiled weight gradient's output-channel blocks: two vectors each.</summary>
    private IReadOnlyList<ChannelBlock> WeightBlocks(SimdPath path) =>
        ChannelBlocks.SplitInto(path, _conv.Output.Channels, Math.Min(2, path.Segments(_conv.Output.Channels).Count), "oc", "output channels");

    /// <summary>True when <paramref name="path"/> tiles the weight gradient over several channel blocks (one block of all the channels reads them in order).</summary>
    private bool PacksWeightBlocks(SimdPath path) =>
        IsTiledWeights(path) && WeightBlocks(path)[0].Segments.Sum(s => s.Width) < _conv.Output.Channels;

    /// <summary>The weight gradient's extra parameter and argument ("" when it reads the output gradient in place).</summary>
    private string PackedOutputGradientParameter => PacksOutputGradient ? ", ref float packedOutputGradient" : "";

    private string PackedOutputGradientArgument => PacksOutputGradient ? ", ref packedOutputGradient" : "";

    /// <summary>Where channel block <paramref name="block"/>'s output gradients start in the packed copy.</summary>
    private string PackedGradientStart(ChannelBlock block) => PackedBlockStart(block, _conv.Output.Height * _conv.Output.Width);

    /// <summary>
    /// Taps whose kernel gradient one pass over the pixels holds in registers: per tap a sum per channel vector and its
    /// input value's broadcast, and one output-gradient vector at a time. On AVX2 with 32 channels, 3 taps (12 sums,
    /// 3 broadcasts, 1 vector) in 3 passes and a bias pass instead of 2 taps in 5: the seed's conv 7.8 -> 6.3 us.
    /// </summary>
    private static int TapsPerWeightsPass(SimdPath path, int segments) => Math.Max(1, (path.Registers - 1) / (segments + 1));

    /// <summary>True when a pass of <paramref name="taps"/> taps has registers left for the bias gradient's sums too.</summary>
    private static bool BiasFits(SimdPath path, int segments, int taps) => taps * (segments + 1) + 1 + segments <= path.Registers;

    /// <summary>Bytes of output gradient a banded weight-gradient pass keeps in L1 (48 KiB on Zen 4, 32 KiB on Zen 3 and most others).</summary>
    private const int L1BandBytes = 16 * 1024;

    /// <summary>Vector registers the accumulators of one loop may take: AVX-512 has 32, AVX2 16 (a few stay for operands).</summary>
    private static int AccumulatorRegisters(SimdPath path) => path.Registers * 3 / 4;

    /// <summary>
    /// The kernel gradient accumulates in registers across all output pixels of the sample, a group of taps
    /// per pass over the pixels (as many as the registers hold): per pass each accumulator is loaded and
    /// stored once, and per pixel there is one broadcast per tap, then per channel vector one output-gradient
    /// load and one FMA per tap. The bias gradient rides along in the last pass, or has a pass of its own when
    /// that one has no registers to spare.
    /// </summary>
    private void EmitWeightsInRegisters(SourceWriter w, SimdPath path, IReadOnlyList<Segment> segments, int tapsPerPass)
    {
        string n = Name;
        var taps = AllTaps().ToArray();
        var inputs = new InputBroadcast(segments);
        int lastFirst = (taps.Length - 1) / tapsPerPass * tapsPerPass;
        bool biasAlone = !BiasFits(path, segments.Count, taps.Length - lastFirst);
        // Every pass reads the whole output gradient again: over bands of rows small enough for L1, each pass
        // finds its band there instead of streaming it from L2 (which halved the seed conv's speed).
        int bandRows = Math.Max(1, L1BandBytes / (_conv.Output.Width * _conv.Output.Channels * sizeof(float)));
        bool banded = bandRows < _conv.Output.Height && (taps.Length > tapsPerPass || biasAlone);
        string rows = banded ? $"oy = band; oy < {Types.Math}.Min(band + {Code.Int(bandRows)}, {n}OutHeight)" : $"oy = 0; oy < {n}OutHeight";
        using var bands = banded ? w.Block($"for (int band = 0; band < {n}OutHeight; band += {Code.Int(bandRows)}) // {Code.Int(bandRows)} output rows of gradient at a time stay in L1 for every pass") : null;
        for (int first = 0; first < taps.Length; first += tapsPerPass)
        {
            int last = Math.Min(taps.Length, first + tapsPerPass) - 1;
            bool withBias = first == lastFirst && !biasAlone;
            using var _ = w.Block($"// taps {first}..{last} of {taps.Length} (kernel row, column, input channel){(withBias ? ", and the bias" : "")}");
            for (int t = first; t <= last; t++)
                for (int k = 0; k < segments.Count; k++)
                    w.Line($"var g{t}_{k} = {segments[k].Load("kernelGradient", Code.Int(t * _conv.Output.Channels))};");
            if (withBias)
            {
                for (int k = 0; k < segments.Count; k++)
                    w.Line($"var b{k} = {segments[k].Load("biasGradient", "0")};");
            }
            using (w.Block($"for (int {rows}; oy++)"))
            {
                // Addresses computed once per row and stepped per pixel (see EmitWeightsTile).
                w.Line($"ref float window = ref {Types.Unsafe}.Add(ref input, oy * {n}Stride * {n}{SourceWidth} * {n}InChannels);");
                w.Line($"ref float pixelGradient = ref {Types.Unsafe}.Add(ref outputGradient, oy * {n}OutWidth * {n}Filters);");
                using (w.Block($"for (int ox = 0; ox < {n}OutWidth; ox++)"))
                {
                    for (int t = first; t <= last; t++)
                        w.Line(inputs.Declare("x" + t, $"{Types.Unsafe}.Add(ref window, {Code.Int(taps[t].InputOffset)})"));
                    for (int k = 0; k < segments.Count; k++)
                    {
                        w.Line($"var d{k} = {segments[k].Load("pixelGradient", "0")};");
                        if (withBias) w.Line($"b{k} += d{k};");
                        for (int t = first; t <= last; t++)
                            w.Line($"g{t}_{k} = {Types.VectorMath}.MultiplyAdd({inputs.For("x" + t, segments[k])}, d{k}, g{t}_{k});");
                    }
                    w.Line($"window = ref {Types.Unsafe}.Add(ref window, {n}Stride * {n}InChannels);");
                    w.Line($"pixelGradient = ref {Types.Unsafe}.Add(ref pixelGradient, {n}Filters);");
                }
            }
            for (int t = first; t <= last; t++)
                for (int k = 0; k < segments.Count; k++)
                    w.Line(segments[k].Store($"g{t}_{k}", "kernelGradient", Code.Int(t * _conv.Output.Channels)));
            if (withBias)
            {
                for (int k = 0; k < segments.Count; k++)
                    w.Line(segments[k].Store($"b{k}", "biasGradient", "0"));
            }
        }
        if (biasAlone)
            EmitBiasPass(w, segments, banded ? "band" : "0", banded ? $"{Types.Math}.Min(band + {Code.Int(bandRows)}, {n}OutHeight)" : $"{n}OutHeight");
    }

    /// <summary>
    /// The bias gradient in a pass of its own, over output rows <paramref name="fromRow"/> to <paramref name="toRow"/>
    /// (stored back to back): two sums per channel vector, even and odd pixels, so the additions do not wait on each other.
    /// </summary>
    private void EmitBiasPass(SourceWriter w, IReadOnlyList<Segment> segments, string fromRow, string toRow)
    {
        string n = Name;
        using var _ = w.Block("// the bias");
        for (int k = 0; k < segments.Count; k++)
        {
            w.Line($"var b{k} = {segments[k].Load("biasGradient", "0")};");
            w.Line($"var c{k} = {segments[k].Zero};");
        }
        w.Line($"ref float pixelGradient = ref {Types.Unsafe}.Add(ref outputGradient, {fromRow} * {n}OutWidth * {n}Filters);");
        w.Line($"int pixels = ({toRow} - {fromRow}) * {n}OutWidth;");
        w.Line("int pixel = 0;");
        using (w.Block($"for (; pixel + 1 < pixels; pixel += 2, pixelGradient = ref {Types.Unsafe}.Add(ref pixelGradient, 2 * {n}Filters))"))
        {
            for (int k = 0; k < segments.Count; k++)
            {
                w.Line($"b{k} += {segments[k].Load("pixelGradient", "0")};");
                w.Line($"c{k} += {segments[k].Load("pixelGradient", $"{n}Filters")};");
            }
        }
        using (w.Block("if (pixel < pixels)"))
        {
            for (int k = 0; k < segments.Count; k++)
                w.Line($"b{k} += {segments[k].Load("pixelGradient", "0")};");
        }
        for (int k = 0; k < segments.Count; k++)
            w.Line(segments[k].Store($"b{k} + c{k}", "biasGradient", "0"));
    }

    /// <summary>
    /// Too many taps or channels to unroll the passes: loops over tiles of the kernel gradient instead. A tile is a
    /// few consecutive input channels at one kernel position by a block of output-channel vectors; its accumulators
    /// stay in registers over all output pixels (per pixel: one output-gradient load per vector, one broadcast per
    /// input channel, one FMA per accumulator), and are loaded and stored once. The bias gradient is one more pass,
    /// which also copies the output gradient into packedOutputGradient, each channel block's pixels side by side: a
    /// tile then walks one contiguous run where it read one block of a pixel's channels a whole pixel apart (64
    /// bytes of every 256 for the tutorial's 64 filters), from L2 (its 5x5 conv over 32 channels: -14 % alone).
    /// </summary>
    private void EmitWeightsTiled(SourceWriter w, SimdPath path)
    {
        string n = Name;
        int c = _conv.Input.Channels;
        var blocks = WeightBlocks(path);
        bool packs = PacksWeightBlocks(path);

        using (w.Block(packs ? "// bias: the sum of the output gradients over the pixels, which go to packedOutputGradient block by block on the way" : "// bias: the sum of the output gradients over the pixels"))
        {
            foreach (var block in blocks)
            {
                using var _ = w.Block(block.LoopHeader!);
                var seg = block.Segments;
                for (int k = 0; k < seg.Count; k++)
                    w.Line($"var b{k} = {seg[k].Load("biasGradient", block.Offset)};");
                int width = seg.Sum(sg => sg.Width);
                using (w.Block($"for (int pixel = 0; pixel < {n}OutHeight * {n}OutWidth; pixel++)"))
                {
                    w.Line($"ref float pixelGradient = ref {Types.Unsafe}.Add(ref outputGradient, pixel * {n}Filters);");
                    if (packs)
                        w.Line($"ref float packed = ref {Types.Unsafe}.Add(ref packedOutputGradient, {Code.Sum(PackedGradientStart(block), $"pixel * {Code.Int(width)}")});");
                    for (int k = 0; k < seg.Count; k++)
                    {
                        if (!packs)
                        {
                            w.Line($"b{k} += {seg[k].Load("pixelGradient", block.Offset)};");
                            continue;
                        }
                        w.Line($"var d{k} = {seg[k].Load("pixelGradient", block.Offset)};");
                        w.Line($"b{k} += d{k};");
                        w.Line(seg[k].Store($"d{k}", "packed", "0"));
                    }
                }
                for (int k = 0; k < seg.Count; k++)
                    w.Line(seg[k].Store($"b{k}", "biasGradient", block.Offset));
            }
        }
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        using (w.Block($"for (int kx = 0; kx < {n}KernelWidth; kx++)"))
        {
            foreach (var block in blocks)
            {
                int widest = Math.Max(1, Math.Min(c, AccumulatorRegisters(path) / block.Segments.Count));
                foreach (var (first, count, channels) in InputChannelTiles(c, widest))
                {
                    string header = count == 1
                        ? $"// input channels {first}..{first + channels - 1}"
                        : $"for (int ic = {Code.Int(first)}; ic < {Code.Int(first + count * channels)}; ic += {channels})";
                    using (w.Block(header))
                    {
                        if (count == 1) w.Line($"const int ic = {Code.Int(first)};");
                        EmitWeightsTile(w, block, channels, packs);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The input channels cut into as few tiles as <paramref name="widest"/> allows, as equal as possible (32 by at
    /// most 6: 6, 6, 5, 5, 5, 5, not five of 6 and two of 1, whose one-channel tiles run an FMA pair per three loads),
    /// as runs of equal tiles: (first channel, tiles, channels per tile).
    /// </summary>
    private static IEnumerable<(int First, int Count, int Channels)> InputChannelTiles(int channels, int widest)
    {
        int tiles = (channels + widest - 1) / widest;
        int narrow = channels / tiles;
        int wideTiles = channels - tiles * narrow; // tiles that take one channel more
        if (wideTiles > 0) yield return (0, wideTiles, narrow + 1);
        if (tiles > wideTiles) yield return (wideTiles * (narrow + 1), tiles - wideTiles, narrow);
    }

    /// <summary>One tile: <paramref name="channels"/> input channels from <c>ic</c> at (ky, kx), by the block's output channels.</summary>
    private void EmitWeightsTile(SourceWriter w, ChannelBlock block, int channels, bool packed)
    {
        string n = Name;
        var seg = block.Segments;
        // The block's output gradients: its run in the packed copy, or a pixel's channels in place.
        int width = packed ? seg.Sum(sg => sg.Width) : _conv.Output.Channels;
        string gradient = packed ? "packedOutputGradient" : "outputGradient", start = packed ? PackedGradientStart(block) : "0", channel = packed ? "0" : block.Offset;
        IDisposable? loop = block.LoopHeader!.StartsWith("for", StringComparison.Ordinal) ? w.Block(block.LoopHeader) : null;
        w.Line($"ref float tile = ref {Types.Unsafe}.Add(ref kernelGradient, ((ky * {n}KernelWidth + kx) * {n}InChannels + ic) * {n}Filters);");
        for (int t = 0; t < channels; t++)
            for (int k = 0; k < seg.Count; k++)
                w.Line($"var g{t}_{k} = {seg[k].Load("tile", Code.Sum(Code.Int(t * _conv.Output.Channels), block.Offset))};");
        var inputs = new InputBroadcast(seg);
        // Per output row the input and gradient addresses are computed once and stepped per pixel: computing both
        // from (oy, ox) at every pixel took as many integer instructions as there are FMAs. With the inputs broadcast
        // from memory and equal channel tiles, the tutorial's 5x5 conv weight gradient went from 468 to 326 µs.
        using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
        {
            w.Line($"ref float x = ref {Types.Unsafe}.Add(ref input, ((oy * {n}Stride + ky) * {n}{SourceWidth} + kx) * {n}InChannels + ic);");
            w.Line($"ref float pixelGradient = ref {Types.Unsafe}.Add(ref {gradient}, {Code.Sum(start, $"oy * {n}OutWidth * {(packed ? Code.Int(width) : $"{n}Filters")}")});");
            using (w.Block($"for (int ox = 0; ox < {n}OutWidth; ox++)"))
            {
                for (int k = 0; k < seg.Count; k++)
                    w.Line($"var d{k} = {seg[k].Load("pixelGradient", channel)};");
                for (int t = 0; t < channels; t++)
                {
                    w.Line(inputs.Declare("x" + t, $"{Types.Unsafe}.Add(ref x, {t})"));
                    for (int k = 0; k < seg.Count; k++)
                        w.Line($"g{t}_{k} = {Types.VectorMath}.MultiplyAdd({inputs.For("x" + t, seg[k])}, d{k}, g{t}_{k});");
                }
                w.Line($"x = ref {Types.Unsafe}.Add(ref x, {n}Stride * {n}InChannels);");
                w.Line($"pixelGradient = ref {Types.Unsafe}.Add(ref pixelGradient, {(packed ? Code.Int(width) : $"{n}Filters")});");
            }
        }
        for (int t = 0; t < channels; t++)
            for (int k = 0; k < seg.Count; k++)
                w.Line(seg[k].Store($"g{t}_{k}", "tile", Code.Sum(Code.Int(t * _conv.Output.Channels), block.Offset)));
        loop?.Dispose();
    }

    private void EmitWeightsScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset);");
        using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
        using (w.Block($"for (int ox = 0; ox < {n}OutWidth; ox++)"))
        using (w.Block($"for (int oc = 0; oc < {n}Filters; oc++)"))
        {
            w.Line($"float d = {Types.Unsafe}.Add(ref outputGradient, (oy * {n}OutWidth + ox) * {n}Filters + oc);");
            w.Line($"{Types.Unsafe}.Add(ref biasGradient, oc) += d;");
            EmitScalarTaps(w, $"{Types.Unsafe}.Add(ref kernelGradient, {ScalarKernelIndex}) += x * d;");
        }
    }

    // ---- backward: input gradient ------------------------------------------------------------

    private void EmitInputVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"{Types.MemoryMarshal}.CreateSpan(ref inputGradient, {n}{SourceSize}).Clear();");
        using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
        using (w.Block($"for (int ox = 0; ox < {n}OutWidth; ox++)"))
        {
            w.Line($"ref float windowGradient = ref {Types.Unsafe}.Add(ref inputGradient, (oy * {n}Stride * {n}{SourceWidth} + ox * {n}Stride) * {n}InChannels);");
            w.Line($"ref float pixelGradient = ref {Types.Unsafe}.Add(ref outputGradient, (oy * {n}OutWidth + ox) * {n}Filters);");
            foreach (var block in ChannelBlocks.Split(path, _conv.Output.Channels, "oc"))
            {
                using var _ = OpenBlock(w, block);
                for (int k = 0; k < block.Segments.Count; k++)
                    w.Line($"var d{k} = {block.Segments[k].Load("pixelGradient", block.Offset)};");
                using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
                {
                    w.Line($"ref float row = ref {Types.Unsafe}.Add(ref windowGradient, ky * {n}{SourceWidth} * {n}InChannels);");
                    w.Line($"ref float taps = ref {Types.Unsafe}.Add(ref kernel, ky * {n}KernelWidth * {n}InChannels * {n}Filters);");
                    ForEachRowTap(w, block.Segments.Count, (tapInput, tapKernel) =>
                    {
                        string offset = Code.Sum(tapKernel, block.Offset);
                        w.Line($"{Types.Unsafe}.Add(ref row, {tapInput}) += {EmitDotProduct(w, block.Segments, "taps", offset, "d")};");
                    });
                }
            }
        }
    }

    private void EmitInputScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"{Types.MemoryMarshal}.CreateSpan(ref inputGradient, {n}{SourceSize}).Clear();");
        using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
        using (w.Block($"for (int ox = 0; ox < {n}OutWidth; ox++)"))
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        using (w.Block($"for (int kx = 0; kx < {n}KernelWidth; kx++)"))
        using (w.Block($"for (int ic = 0; ic < {n}InChannels; ic++)"))
        {
            w.Line("float sum = 0f;");
            using (w.Block($"for (int oc = 0; oc < {n}Filters; oc++)"))
            {
                w.Line($"sum += {Types.Unsafe}.Add(ref kernel, ((ky * {n}KernelWidth + kx) * {n}InChannels + ic) * {n}Filters + oc) * {Types.Unsafe}.Add(ref outputGradient, (oy * {n}OutWidth + ox) * {n}Filters + oc);");
            }
            w.Line($"{Types.Unsafe}.Add(ref inputGradient, ((oy * {n}Stride + ky) * {n}{SourceWidth} + ox * {n}Stride + kx) * {n}InChannels + ic) += sum;");
        }
    }

    // ---- backward: input gradient, gathered (stride 1) ------------------------------------------

    /// <summary>
    /// Copies the output gradient into the middle of the zero-bordered buffer, so every kernel position of every
    /// input pixel reads a valid (possibly zero) output-gradient pixel: no bounds tests in the loops.
    /// </summary>
    private void EmitOutputGradientPadding(SourceWriter w)
    {
        string n = Name;
        using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
        {
            w.Line($"{Types.MemoryMarshal}.CreateReadOnlySpan(ref {Types.Unsafe}.Add(ref outputGradient, oy * {n}OutWidth * {n}Filters), {n}OutWidth * {n}Filters)");
            w.Line($"    .CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref paddedOutputGradient, ((oy + {n}KernelHeight - 1) * {n}GradientWidth + {n}KernelWidth - 1) * {n}Filters), {n}OutWidth * {n}Filters));");
        }
    }

    /// <summary>
    /// Pixels of a row computed together by the gathered input gradient: three pixels by four input channels are 12 sums,
    /// which with the three gradient vectors and one kernel vector take the 16 registers of AVX2 (7 loads per 12 FMAs;
    /// two pixels took 6 per 8, and the tutorial's 5x5 conv over 64 channels ran about 10 % slower).
    /// </summary>
    private const int GatherPixels = 3;

    /// <summary>
    /// d(input)[y][x][ic] = sum over the kernel window of output-gradient pixel (y + padTop - ky, x + padLeft - kx)
    /// dotted with the kernel's (ky, kx, ic) vector of output channels. Three pixels and four input channels at a time,
    /// the row's last one or two pixels together: per output-channel vector, seven loads feed twelve FMAs, and the
    /// twelve sums take one horizontal add each at the end. Groups of input channels outermost, each reading its
    /// packed kernel run (see <see cref="EmitPackKernelByInputChannels"/>) for all its pixels.
    /// </summary>
    private void EmitGatheredInputVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        EmitOutputGradientPadding(w);
        int c = _conv.Input.Channels, fullChannels = c / ConvPlan.GatherChannels * ConvPlan.GatherChannels;
        if (fullChannels > 0)
        {
            using (w.Block($"for (int ic = 0; ic < {Code.Int(fullChannels)}; ic += {ConvPlan.GatherChannels})"))
                EmitGatherPixels(w, path, ConvPlan.GatherChannels);
        }
        if (fullChannels < c)
        {
            using (w.Block($"for (int ic = {Code.Int(fullChannels)}; ic < {n}InChannels; ic++)"))
                EmitGatherPixels(w, path, 1);
        }
    }

    private void EmitGatherPixels(SourceWriter w, SimdPath path, int channels)
    {
        w.Line($"ref float group = ref {Types.Unsafe}.Add(ref packedKernel, {GroupStart});");
        int width = _conv.Input.Width, fullPixels = width / GatherPixels * GatherPixels;
        using (w.Block($"for (int y = 0; y < {Name}InHeight; y++)"))
        {
            if (fullPixels > 0)
            {
                using (w.Block($"for (int x = 0; x < {Code.Int(fullPixels)}; x += {GatherPixels})"))
                    EmitGatherTile(w, path, GatherPixels, channels);
            }
            if (fullPixels < width)
            {
                using (w.Block($"// the row's last {(width - fullPixels == 1 ? "pixel" : $"{width - fullPixels} pixels")}"))
                {
                    w.Line($"const int x = {Code.Int(fullPixels)};");
                    EmitGatherTile(w, path, width - fullPixels, channels);
                }
            }
        }
    }

    private void EmitGatherTile(SourceWriter w, SimdPath path, int pixels, int channels)
    {
        string n = Name;
        string cls = path.Whole.Class, type = path.Whole.Type;
        for (int p = 0; p < pixels; p++)
            for (int t = 0; t < channels; t++)
                w.Line($"var sum{p}_{t} = {type}.Zero;");
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        using (w.Block($"for (int kx = 0; kx < {n}KernelWidth; kx++)"))
        {
            // Input pixel (y, x) sits at (y + PadTop, x + PadLeft) of the kernel's source; the output pixel it meets at
            // (ky, kx) is that minus (ky, kx), and the padded gradient holds it KernelHeight - 1 rows further down.
            string row = $"(y + {PadTopText} - ky + {n}KernelHeight - 1) * {n}GradientWidth";
            string column = $"x + {PadLeftText} - kx + {n}KernelWidth - 1";
            w.Line($"ref float d = ref {Types.Unsafe}.Add(ref paddedOutputGradient, ({row} + {column}) * {n}Filters);");
            w.Line($"ref float taps = ref {Types.Unsafe}.Add(ref group, (ky * {n}KernelWidth + kx) * {Code.Int(channels * _conv.Output.Channels)});");
            int vectors = _conv.Output.Channels / path.Width;
            using (w.Block($"for ({IndexType(vectors)} oc = 0; oc < {n}Filters; oc += {path.Width}){IndexComment(vectors)}"))
            {
                for (int p = 0; p < pixels; p++)
                    w.Line($"var d{p} = {cls}.LoadUnsafe(ref d, (nuint)({(p == 0 ? "oc" : $"{p} * {n}Filters + oc")}));");
                for (int t = 0; t < channels; t++)
                {
                    w.Line($"var w{t} = {cls}.LoadUnsafe(ref taps, (nuint)({(t == 0 ? "oc" : $"{t} * {n}Filters + oc")}));");
                    for (int p = 0; p < pixels; p++)
                        w.Line($"sum{p}_{t} = {Types.VectorMath}.MultiplyAdd(d{p}, w{t}, sum{p}_{t});");
                }
            }
        }
        w.Line($"ref float pixelGradient = ref {Types.Unsafe}.Add(ref inputGradient, (y * {n}InWidth + x) * {n}InChannels + ic);");
        for (int p = 0; p < pixels; p++)
            for (int t = 0; t < channels; t++)
                w.Line($"{Types.Unsafe}.Add(ref pixelGradient, {Code.Int(p * _conv.Input.Channels + t)}) = {path.Whole.Sum($"sum{p}_{t}")};");
    }

    private string PadTopText => _conv.IsPadded ? $"{Name}PadTop" : "0";

    private string PadLeftText => _conv.IsPadded ? $"{Name}PadLeft" : "0";

    private void EmitGatheredInputScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        EmitOutputGradientPadding(w);
        using (w.Block($"for (int y = 0; y < {n}InHeight; y++)"))
        using (w.Block($"for (int x = 0; x < {n}InWidth; x++)"))
        using (w.Block($"for (int ic = 0; ic < {n}InChannels; ic++)"))
        {
            w.Line("float sum = 0f;");
            using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
            using (w.Block($"for (int kx = 0; kx < {n}KernelWidth; kx++)"))
            using (w.Block($"for (int oc = 0; oc < {n}Filters; oc++)"))
            {
                w.Line($"float d = {Types.Unsafe}.Add(ref paddedOutputGradient, ((y + {PadTopText} - ky + {n}KernelHeight - 1) * {n}GradientWidth + x + {PadLeftText} - kx + {n}KernelWidth - 1) * {n}Filters + oc);");
                w.Line($"sum += d * {Types.Unsafe}.Add(ref kernel, ((ky * {n}KernelWidth + kx) * {n}InChannels + ic) * {n}Filters + oc);");
            }
            w.Line($"{Types.Unsafe}.Add(ref inputGradient, (y * {n}InWidth + x) * {n}InChannels + ic) = sum;");
        }
    }

    // ---- shared pieces -------------------------------------------------------------------------

    /// <summary>
    /// The type of a channel loop's index. A native-sized one lets the JIT fold "index + constant" into each load's
    /// address, where an int costs a sign extension and an add per load (14 integer instructions beside 8 FMAs in the
    /// tutorial's 5x5 conv; its pooled forward 23 % faster, its input gradient 12 %). But the JIT fully unrolls only
    /// int loops of at most 4 iterations (jit-notes 3.2), which beats both: LeNet-5's 2-iteration loop ran 15 % slower as nint.
    /// </summary>
    private static string IndexType(int iterations) => iterations <= 4 ? "int" : "nint";

    /// <summary>What a generated loop header says about a nint index, so a reader need not wonder why; null for an int.</summary>
    private static string? IndexNote(int iterations) =>
        IndexType(iterations) == "nint" ? "nint: the JIT folds index + constant into the loads' addresses" : null;

    private static string IndexComment(int iterations) => IndexNote(iterations) is { } note ? " // " + note : "";

    /// <summary>One tap of the kernel window: its offset from the window origin in the input and in the kernel.</summary>
    private readonly record struct Tap(int InputOffset, int KernelOffset);

    private IEnumerable<Tap> AllTaps()
    {
        int c = _conv.Input.Channels, f = _conv.Output.Channels;
        for (int ky = 0; ky < _conv.KernelHeight; ky++)
            for (int kx = 0; kx < _conv.KernelWidth; kx++)
                for (int ic = 0; ic < c; ic++)
                    yield return new Tap((ky * _conv.Padded.Width + kx) * c + ic, ((ky * _conv.KernelWidth + kx) * c + ic) * f);
    }

    /// <summary>
    /// Emits <paramref name="body"/> for every (kx, ic) tap of one kernel row, with the tap's input offset
    /// (relative to <c>row</c>) and kernel offset (relative to <c>taps</c>): unrolled when the row is small,
    /// otherwise as a loop over input channels with the kernel columns unrolled inside.
    /// </summary>
    private void ForEachRowTap(SourceWriter w, int segmentCount, System.Action<string, string> body)
    {
        int c = _conv.Input.Channels, f = _conv.Output.Channels, kw = _conv.KernelWidth;
        bool unroll = kw * c * (segmentCount + 1) <= MaxUnrolledRowStatements;
        if (unroll)
        {
            for (int kx = 0; kx < kw; kx++)
                for (int ic = 0; ic < c; ic++)
                    using (w.Block($"// kernel column {kx}, input channel {ic}"))
                        body(Code.Int(kx * c + ic), Code.Int((kx * c + ic) * f));
            return;
        }
        using (w.Block($"for ({IndexType(c)} ic = 0; ic < {Name}InChannels; ic++){IndexComment(c)}"))
        {
            for (int kx = 0; kx < kw; kx++)
                using (w.Block($"// kernel column {kx}"))
                    body(Code.Plus("ic", kx * c), Code.Plus($"ic * {Name}Filters", kx * c * f));
        }
    }
}
