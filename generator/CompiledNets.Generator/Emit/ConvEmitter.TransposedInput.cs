using System.Collections.Generic;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The input gradient as a forward convolution: d(input) is the zero-bordered output gradient convolved with the
/// kernel turned half a circle (taps flipped) and its channel axes swapped (output channels in, input channels out).
/// Per tile of two rows by three input pixels and block of two input-channel vectors, each output-gradient value is
/// broadcast once and each kernel vector loaded once: per output channel, six broadcasts and two loads feed twelve
/// FMAs, and the sums need no horizontal adds. The tutorial's 5x5 conv over 32 channels: 254 -> 207 us a sample in
/// one process against the gathered form (dot products over output channels, 12 sums, 7 loads per 12 FMAs, then a
/// horizontal add per sum), which stays for the paths and shapes this one does not fit; 2x3 tiles and a row of taps
/// at a time instead of 2x2 squares over all taps: a further -7 %.
/// </summary>
internal sealed partial class ConvEmitter
{
    /// <summary>Input-channel vectors of a block: two, so that a 2x2 square's sums take 8 registers.</summary>
    private const int TransposedBlockVectors = 2;

    /// <summary>
    /// True when <paramref name="path"/> computes the input gradient in the transposed form: stride 1 (the
    /// gathered form's condition), input channels in whole blocks of two vectors, and an even input height (tiles
    /// of two rows cover it; any width, the last tile of a row taking what is left of it).
    /// </summary>
    private bool TransposesInputGradient(SimdPath path) =>
        _conv.GathersInputGradient
        && _conv.Input.Channels % (TransposedBlockVectors * path.Width) == 0
        && _conv.Input.Height % 2 == 0;

    /// <summary>True when some vector path takes the transposed form (the documentation of the methods says so).</summary>
    private bool TransposesOnSomePath => TransposesInputGradient(SimdPath.Vector256) || TransposesInputGradient(SimdPath.Vector512);

    /// <summary>A stride-1 input gradient on <paramref name="path"/>: transposed where it fits, gathered otherwise.</summary>
    private void EmitStrideOneInputVector(SourceWriter w, SimdPath path)
    {
        if (TransposesInputGradient(path)) EmitTransposedInputVector(w, path);
        else EmitGatheredInputVector(w, path);
    }

    /// <summary>The packing the stride-1 input gradient on <paramref name="path"/> reads (<see cref="EmitStrideOneInputVector"/>).</summary>
    private void EmitPackForInputGradientVector(SourceWriter w, SimdPath path)
    {
        if (TransposesInputGradient(path)) EmitPackTransposed(w, path);
        else EmitPackByInputChannelsVector(w, path);
    }

    /// <summary>
    /// The kernel packed for the transposed form: per block of input channels, per flipped tap, per output channel,
    /// the block's input channels side by side (the vectors a tile loads together, one after the other in the order
    /// the output channels are walked).
    /// </summary>
    private void EmitPackTransposed(SourceWriter w, SimdPath path)
    {
        string n = Name;
        int blockWidth = TransposedBlockVectors * path.Width;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        using (w.Block($"for (int ic = 0; ic < {n}InChannels; ic += {Code.Int(blockWidth)})"))
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        using (w.Block($"for (int kx = 0; kx < {n}KernelWidth; kx++)"))
        {
            w.Line($"int flipped = ({n}KernelHeight - 1 - ky) * {n}KernelWidth + {n}KernelWidth - 1 - kx;");
            w.Line($"ref float source = ref {Types.Unsafe}.Add(ref kernel, ((ky * {n}KernelWidth + kx) * {n}InChannels + ic) * {n}Filters);");
            w.Line($"ref float target = ref {Types.Unsafe}.Add(ref packedKernel, (ic * {n}KernelHeight * {n}KernelWidth + flipped * {Code.Int(blockWidth)}) * {n}Filters);");
            using (w.Block($"for (int oc = 0; oc < {n}Filters; oc++) // written in order; the block's {Code.Int(blockWidth)} kernel rows it reads stay in L1"))
            using (w.Block($"for (int j = 0; j < {Code.Int(blockWidth)}; j++)"))
                w.Line($"{Types.Unsafe}.Add(ref target, oc * {Code.Int(blockWidth)} + j) = {Types.Unsafe}.Add(ref source, j * {n}Filters + oc);");
        }
    }

    /// <summary>Columns of a tile: two rows of three pixels make 12 sums, so every accumulator waits 6 FMAs (the FMA latency is 4) between its updates.</summary>
    private const int TransposedTileColumns = 3;

    /// <summary>
    /// d(input)[y][x] = sum over the flipped taps (ky, kx) and output channels of the padded gradient at
    /// (y + padTop + ky, x + padLeft + kx) times the packed kernel's row for that tap and channel. One row of taps
    /// at a time (the tutorial's: 5 x 64 x 16 floats, which stay in L1 while every tile reads them), the sums stored
    /// between rows and loaded back, which adds them in the same order as one pass would.
    /// </summary>
    private void EmitTransposedInputVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        int blockWidth = TransposedBlockVectors * path.Width;
        int tiledColumns = _conv.Input.Width / TransposedTileColumns * TransposedTileColumns;
        int remainder = _conv.Input.Width - tiledColumns;
        EmitOutputGradientPadding(w);
        using (w.Block($"for (int ic = 0; ic < {n}InChannels; ic += {Code.Int(blockWidth)})"))
        {
            w.Line($"ref float block = ref {Types.Unsafe}.Add(ref packedKernel, ic * {n}KernelHeight * {n}KernelWidth * {n}Filters);");
            using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++) // one row of taps at a time: its kernel vectors stay in L1 for every tile"))
            using (w.Block($"for (int y = 0; y < {n}InHeight; y += 2)"))
            {
                if (tiledColumns > 0)
                {
                    using (w.Block($"for (int x = 0; x < {Code.Int(tiledColumns)}; x += {Code.Int(TransposedTileColumns)}) // two rows of {Code.Int(TransposedTileColumns)} input pixels"))
                        EmitTransposedTile(w, path, "x", TransposedTileColumns);
                }
                if (remainder > 0)
                {
                    using (w.Block($"// the last {Code.Int(remainder)} column{(remainder == 1 ? "" : "s")}"))
                        EmitTransposedTile(w, path, Code.Int(tiledColumns), remainder);
                }
            }
        }
    }

    /// <summary>The sums of one tile, two rows by <paramref name="columns"/> pixels from column <paramref name="x"/>, over one row of taps.</summary>
    private void EmitTransposedTile(SourceWriter w, SimdPath path, string x, int columns)
    {
        string n = Name, cls = path.Whole.Class, type = path.Whole.Type;
        int blockWidth = TransposedBlockVectors * path.Width;
        var pixels = new List<(int Row, int Column)>();
        for (int row = 0; row < 2; row++)
            for (int column = 0; column < columns; column++)
                pixels.Add((row, column));
        // Where d(input) holds vector v of the block's channels at the tile's pixel p.
        string Index(int p, int v)
        {
            string row = pixels[p].Row == 0 ? "y" : $"(y + {pixels[p].Row})";
            return $"(nuint)({Code.Plus($"({row} * {n}InWidth + {Code.Plus(x, pixels[p].Column)}) * {n}InChannels + ic", v * path.Width)})";
        }
        for (int p = 0; p < pixels.Count; p++)
            for (int v = 0; v < TransposedBlockVectors; v++)
                w.Line($"var acc{p}_{v} = ky == 0 ? {type}.Zero : {cls}.LoadUnsafe(ref inputGradient, {Index(p, v)});");
        using (w.Block($"for (int kx = 0; kx < {n}KernelWidth; kx++)"))
        {
            // Flipped tap (ky, kx) is the kernel's (KernelHeight - 1 - ky, KernelWidth - 1 - kx): input pixel (y, x) meets
            // output pixel (y + PadTop + ky - KernelHeight + 1) there, which the padded gradient holds KernelHeight - 1 rows down.
            w.Line($"ref float d = ref {Types.Unsafe}.Add(ref paddedOutputGradient, ((y + {PadTopText} + ky) * {n}GradientWidth + {x} + {PadLeftText} + kx) * {n}Filters);");
            w.Line($"ref float taps = ref {Types.Unsafe}.Add(ref block, (ky * {n}KernelWidth + kx) * {n}Filters * {Code.Int(blockWidth)});");
            using (w.Block($"for ({IndexType(_conv.Output.Channels)} oc = 0; oc < {n}Filters; oc++){IndexComment(_conv.Output.Channels)}"))
            {
                for (int v = 0; v < TransposedBlockVectors; v++)
                    w.Line($"var w{v} = {cls}.LoadUnsafe(ref taps, (nuint)({Code.Plus($"oc * {Code.Int(blockWidth)}", v * path.Width)}));");
                for (int p = 0; p < pixels.Count; p++)
                {
                    w.Line($"var d{p} = {path.Whole.Broadcast($"{Types.Unsafe}.Add(ref d, {GradientOffset(pixels[p])})")};");
                    for (int v = 0; v < TransposedBlockVectors; v++)
                        w.Line($"acc{p}_{v} = {Types.VectorMath}.MultiplyAdd(d{p}, w{v}, acc{p}_{v});");
                }
            }
        }
        for (int p = 0; p < pixels.Count; p++)
            for (int v = 0; v < TransposedBlockVectors; v++)
                w.Line($"{cls}.StoreUnsafe(acc{p}_{v}, ref inputGradient, {Index(p, v)});");
    }

    /// <summary>Where the padded output gradient holds channel oc of the tile's pixel (row, column), from the tile's first.</summary>
    private string GradientOffset((int Row, int Column) pixel)
    {
        string n = Name;
        string rowPart = pixel.Row == 0 ? "" : pixel.Row == 1 ? $"{n}GradientWidth" : $"{pixel.Row} * {n}GradientWidth";
        string offset = (rowPart, pixel.Column) switch
        {
            ("", 0) => "",
            ("", 1) => $"{n}Filters",
            ("", _) => $"{pixel.Column} * {n}Filters",
            (_, 0) => $"{rowPart} * {n}Filters",
            _ => $"({Code.Plus(rowPart, pixel.Column)}) * {n}Filters",
        };
        return offset.Length == 0 ? "oc" : $"{offset} + oc";
    }
}
