using System.Collections.Generic;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The forward pass of a conv with few filters over one input channel (LeNet-5's first: 6 filters, 5x5, on a
/// grey image) with its vectors along a row of output pixels instead of across the filters. Across the filters a
/// 6-filter conv fills 6 of 8 lanes (a 4-float vector and two single FMAs per tap and pixel on AVX2: about a
/// sixth of the FMA peak); along the row every lane is an output pixel, one input load serves a group of filters
/// and one broadcast weight a whole row. The sums start at the bias and add the taps in the kernel's order, as the
/// channel-vector form does (which rounded its single-float products and sums apart, so those filters' last bits
/// move); they reach the channels-last output through a row buffer on the stack. LeNet-5, one process against the
/// channel-vector form: Conv0Forward256 14.3 -> 5.4 us a sample; PredictBatch(256) -30 to -34 %. The weight gradient
/// of the same convs runs along the rows too (below): Conv0BackwardWeights256 19.5 -> 9.6 us.
/// </summary>
internal sealed partial class ConvEmitter
{
    /// <summary>
    /// True when the forward pass on <paramref name="path"/> runs along the rows: one input channel, stride 1,
    /// fewer filters than a vector has lanes, and a row's vectors and one group of filters fit the registers.
    /// </summary>
    private bool VectorizesAlongRows(SimdPath path) => HasFewFiltersOverOneChannel(path) && RowFilterGroup(path) > 0;

    /// <summary>One input channel, stride 1 and fewer filters than a vector of <paramref name="path"/> has lanes: the convs whose passes run along the rows.</summary>
    private bool HasFewFiltersOverOneChannel(SimdPath path) =>
        _conv.Input.Channels == 1 && _conv.Stride == 1 && _conv.Output.Channels < path.Width;

    /// <summary>
    /// Filters computed together by the forward pass: each needs one accumulator per vector of the row and one
    /// broadcast weight.
    /// </summary>
    private int RowFilterGroup(SimdPath path) => FiltersFitting(path, path.Segments(_conv.Output.Width).Count + 1);

    /// <summary>
    /// The most filters, up to all, of <paramref name="registersPerFilter"/> registers each that fit the path's
    /// registers beside one for the input vector and one left for the JIT.
    /// </summary>
    private int FiltersFitting(SimdPath path, int registersPerFilter) =>
        System.Math.Max(0, System.Math.Min(_conv.Output.Channels, (path.Registers - 2) / registersPerFilter));

    private void EmitRowVectorForward(SourceWriter w, SimdPath path)
    {
        string n = Name;
        var row = path.Segments(_conv.Output.Width);
        int group = RowFilterGroup(path);
        w.Line($"// {_conv.Output.Channels} filters over one channel: vectors run along a row of output pixels, {Code.Int(group)} filter{(group == 1 ? "" : "s")} at a time (each input load serves them all),");
        w.Line("// and each row's sums go to the channels-last output through a buffer of the row's filters side by side.");
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        w.Line($"{Types.Span}<float> rowBuffer = stackalloc float[{n}Filters * {n}OutWidth];");
        w.Line($"ref float sums = ref {Types.MemoryMarshal}.GetReference(rowBuffer); // filter f's sums at f * {n}OutWidth");
        using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
        {
            w.Line($"ref float window = ref {Types.Unsafe}.Add(ref input, oy * {n}{SourceWidth});");
            EmitFilterGroups(w, group, (first, count) => EmitRowFilters(w, row, first, count));
            w.Line($"ref float pixels = ref {Types.Unsafe}.Add(ref output, oy * {n}OutWidth * {n}Filters);");
            using (w.Block($"for (nint ox = 0; ox < {n}OutWidth; ox++) // nint: the JIT folds the constant offsets below into the addresses"))
            {
                w.Line($"ref float pixel = ref {Types.Unsafe}.Add(ref pixels, ox * {n}Filters);");
                w.Line($"ref float column = ref {Types.Unsafe}.Add(ref sums, ox);");
                for (int f = 0; f < _conv.Output.Channels; f++)
                    w.Line($"{Types.Unsafe}.Add(ref pixel, {Code.Int(f)}) = {Types.Unsafe}.Add(ref column, {(f == 0 ? "0" : $"{Code.Int(f)} * {n}OutWidth")});");
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="emitGroup"/> for the filters in groups of <paramref name="group"/>: one block when a
    /// single group covers them, a loop over f otherwise, then the filters left over (first filter: a literal or "f").
    /// </summary>
    private void EmitFilterGroups(SourceWriter w, int group, System.Action<string, int> emitGroup)
    {
        int filters = _conv.Output.Channels, whole = filters / group * group, rest = filters - whole;
        if (whole == group)
        {
            using (w.Block(group == 1 ? "// filter 0" : $"// filters 0..{Code.Int(group - 1)}"))
                emitGroup("0", group);
        }
        else
        {
            using (w.Block($"for (int f = 0; f < {(rest == 0 ? $"{Name}Filters" : Code.Int(whole))}; f += {Code.Int(group)}) // filters f..f + {Code.Int(group - 1)}"))
                emitGroup("f", group);
        }
        if (rest > 0)
        {
            using (w.Block(rest == 1 ? $"// filter {Code.Int(whole)}" : $"// filters {Code.Int(whole)}..{Code.Int(filters - 1)}"))
                emitGroup(Code.Int(whole), rest);
        }
    }

    /// <summary><paramref name="filter"/> (a literal or an expression of f) times <paramref name="stride"/> floats: folded to a literal where it can be.</summary>
    private static string FilterStart(string filter, int stride, string strideText) =>
        int.TryParse(filter, out int literal) ? Code.Int(literal * stride) : $"{(filter.Contains(" ") ? $"({filter})" : filter)} * {strideText}";

    /// <summary>The lower <paramref name="to"/> lanes of <paramref name="vector"/>, a vector of <paramref name="from"/> (a register's lower part: no instruction).</summary>
    private static string Narrowed(string vector, int from, int to)
    {
        // Static calls: the generated file has no using directives, so the extension-method forms do not bind.
        int width = from;
        for (; width > to && width > 4; width /= 2) vector = $"{new Segment(0, width).Class}.GetLower({vector})";
        return to == 1 && width > 1 ? $"{new Segment(0, width).Class}.ToScalar({vector})" : vector;
    }

    /// <summary>One row's sums for <paramref name="count"/> filters from filter <paramref name="first"/> (a literal or the loop's f): acc{k}_{s} holds filter first + k at the row's vector s.</summary>
    private void EmitRowFilters(SourceWriter w, IReadOnlyList<Segment> row, string first, int count)
    {
        string n = Name;
        string Filter(int k) => Code.Plus(first, k);
        for (int k = 0; k < count; k++)
            for (int s = 0; s < row.Count; s++)
                w.Line($"var acc{k}_{s} = {row[s].Broadcast($"{Types.Unsafe}.Add(ref bias, {Filter(k)})")};");
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        {
            w.Line($"ref float line = ref {Types.Unsafe}.Add(ref window, ky * {n}{SourceWidth});");
            w.Line($"ref float taps = ref {Types.Unsafe}.Add(ref kernel, ky * {n}KernelWidth * {n}Filters);");
            using (w.Block($"for ({IndexType(_conv.KernelWidth)} kx = 0; kx < {n}KernelWidth; kx++)"))
            {
                for (int k = 0; k < count; k++)
                    w.Line($"var w{k} = {row[0].Broadcast($"{Types.Unsafe}.Add(ref taps, {Code.Sum($"kx * {n}Filters", Filter(k))})")};");
                for (int s = 0; s < row.Count; s++)
                {
                    w.Line($"var x{s} = {row[s].Load("line", "kx")};");
                    for (int k = 0; k < count; k++)
                        w.Line($"acc{k}_{s} = {Types.VectorMath}.MultiplyAdd(x{s}, {Narrowed($"w{k}", row[0].Width, row[s].Width)}, acc{k}_{s});");
                }
            }
        }
        for (int k = 0; k < count; k++)
        {
            string start = FilterStart(Filter(k), _conv.Output.Width, $"{n}OutWidth");
            for (int s = 0; s < row.Count; s++)
                w.Line(row[s].Store(Activate($"acc{k}_{s}"), "sums", start));
        }
    }

    // ---- weight gradient along the rows ----------------------------------------------------------

    /// <summary>
    /// True when the weight gradient on <paramref name="path"/> runs along the rows (the forward pass's condition,
    /// with a group of filters' sums for a row of taps fitting the registers).
    /// </summary>
    private bool WeightsAlongRows(SimdPath path) =>
        HasFewFiltersOverOneChannel(path) && RowWeightFilterGroup(path) > 0
        && FlattenedProducts >= path.Width; // the last vector starts inside the sample

    /// <summary>The width of the rows the weight gradient lays the output gradients out in: the input's (padded) width.</summary>
    private int SourceRowWidth => _conv.IsPadded ? _conv.Padded.Width : _conv.Input.Width;

    /// <summary>Products of one tap and filter, flattened over rows <see cref="SourceRowWidth"/> wide: the last row's stop at its last output pixel.</summary>
    private int FlattenedProducts => (_conv.Output.Height - 1) * SourceRowWidth + _conv.Output.Width;

    /// <summary>Filters whose gradients for one row of taps are summed together: a sum per tap and a vector of output gradients each.</summary>
    private int RowWeightFilterGroup(SimdPath path) => FiltersFitting(path, _conv.KernelWidth + 1);

    /// <summary>
    /// Each tap's gradient for filter f is a dot product: the input shifted to the tap, times the filter's output
    /// gradients laid out as rows of the input's width (zero where no output pixel is). Flattened over the sample,
    /// the dot product runs in whole vectors; the last, partial one is taken as the vector that ends where the
    /// products end, its output gradients moved to its last lanes and its first lanes zero, so no load leaves the
    /// sample's input. The sums run vector by vector and end in one horizontal sum per tap and filter.
    /// </summary>
    private void EmitRowVectorWeights(SourceWriter w, SimdPath path)
    {
        string n = Name, cls = path.Whole.Class, type = path.Whole.Type;
        int width = path.Width, sourceWidth = SourceRowWidth, length = FlattenedProducts;
        int whole = length / width * width, tail = length - whole;
        int plane = whole + (tail > 0 ? width : 0);
        int group = RowWeightFilterGroup(path);
        w.Line($"// {_conv.Output.Channels} filters over one channel: each tap's gradient is the input, shifted to the tap, times a filter's output gradients");
        w.Line($"// laid out as rows {Code.Int(sourceWidth)} wide (zero past each output row), {Code.Int(length)} products flattened into vectors:");
        w.Line(tail > 0
            ? $"// {Code.Int(whole / width)} whole ones and a last one of {Code.Int(tail)} products, so {Code.Int(plane)} floats of output gradients per filter."
            : $"// {Code.Int(whole / width)} whole ones, {Code.Int(plane)} floats of output gradients per filter.");
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset);");
        w.Line($"{Types.Span}<float> planeBuffer = stackalloc float[{n}Filters * {Code.Int(plane)}];");
        w.Line($"ref float planes = ref {Types.MemoryMarshal}.GetReference(planeBuffer); // filter f's output gradients at f * {Code.Int(plane)}");
        using (w.Block($"for (int f = 0; f < {n}Filters; f++)"))
        {
            w.Line($"ref float plane = ref {Types.Unsafe}.Add(ref planes, f * {Code.Int(plane)});");
            using (w.Block($"for (int oy = 0; oy < {n}OutHeight; oy++)"))
            {
                w.Line($"ref float gradientRow = ref {Types.Unsafe}.Add(ref outputGradient, oy * {n}OutWidth * {n}Filters + f);");
                w.Line($"ref float planeRow = ref {Types.Unsafe}.Add(ref plane, oy * {n}{SourceWidth});");
                using (w.Block($"for (nint ox = 0; ox < {n}OutWidth; ox++)"))
                    w.Line($"{Types.Unsafe}.Add(ref planeRow, ox) = {Types.Unsafe}.Add(ref gradientRow, ox * {n}Filters);");
                using (w.Block($"if (oy < {n}OutHeight - 1) // the input columns no output pixel of this row reaches"))
                using (w.Block($"for (nint ox = {n}OutWidth; ox < {n}{SourceWidth}; ox++)"))
                    w.Line($"{Types.Unsafe}.Add(ref planeRow, ox) = 0f;");
            }
            if (tail > 0)
            {
                w.Line($"// the last {Code.Int(tail)} to the end of one more vector, whose first {Code.Int(width - tail)} lanes are zero: it meets the input vector ending where the products end");
                w.Line($"{Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref plane, {Code.Int(whole)}), {Code.Int(tail)}).CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref plane, {Code.Int(whole + width - tail)}), {Code.Int(tail)}));");
                w.Line($"{Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref plane, {Code.Int(whole)}), {Code.Int(width - tail)}).Clear();");
            }
            w.Line($"var biasSum = {type}.Zero; // the bias gradient: every output gradient once, the zeros beside them changing nothing");
            using (w.Block($"for (nint j = 0; j < {Code.Int(plane)}; j += {Code.Int(width)})"))
                w.Line($"biasSum += {cls}.LoadUnsafe(ref plane, (nuint)j);");
            w.Line($"{Types.Unsafe}.Add(ref biasGradient, f) += {path.Whole.Sum("biasSum")};");
        }
        EmitFilterGroups(w, group, (first, count) => EmitRowWeightFilters(w, path.Whole, whole, tail, plane, first, count));
    }

    /// <summary>The kernel gradients of <paramref name="count"/> filters from <paramref name="first"/>, one row of taps at a time: g{kx}_{k} sums tap (ky, kx) of filter first + k.</summary>
    private void EmitRowWeightFilters(SourceWriter w, Segment vector, int whole, int tail, int plane, string first, int count)
    {
        string n = Name;
        string Filter(int k) => Code.Plus(first, k);
        string PlaneOf(int k) => FilterStart(Filter(k), plane, Code.Int(plane));
        for (int k = 0; k < count; k++)
            w.Line($"ref float plane{k} = ref {Types.Unsafe}.Add(ref planes, {PlaneOf(k)});");
        using (w.Block($"for (int ky = 0; ky < {n}KernelHeight; ky++)"))
        {
            w.Line($"ref float source = ref {Types.Unsafe}.Add(ref input, ky * {n}{SourceWidth});");
            for (int kx = 0; kx < _conv.KernelWidth; kx++)
                for (int k = 0; k < count; k++)
                    w.Line($"var g{kx}_{k} = {vector.Zero};");
            void Products(string inputAt, string planeAt)
            {
                for (int k = 0; k < count; k++)
                    w.Line($"var d{k} = {vector.Class}.LoadUnsafe(ref plane{k}, {planeAt});");
                for (int kx = 0; kx < _conv.KernelWidth; kx++)
                {
                    w.Line($"var x{kx} = {vector.Class}.LoadUnsafe(ref source, {Code.Native(Code.Plus(inputAt, kx))});");
                    for (int k = 0; k < count; k++)
                        w.Line($"g{kx}_{k} = {Types.VectorMath}.MultiplyAdd(x{kx}, d{k}, g{kx}_{k});");
                }
            }
            using (w.Block($"for (nint j = 0; j < {Code.Int(whole)}; j += {Code.Int(vector.Width)}) // nint: the JIT folds \"j + kx\" into the addresses"))
                Products("j", "(nuint)j");
            if (tail > 0)
            {
                using (w.Block($"// the last {Code.Int(tail)} products: the input vector ending where they end, the zero-led vector of output gradients"))
                    Products(Code.Int(whole + tail - vector.Width), Code.Native(Code.Int(whole)));
            }
            w.Line($"ref float taps = ref {Types.Unsafe}.Add(ref kernelGradient, ky * {n}KernelWidth * {n}Filters);");
            for (int kx = 0; kx < _conv.KernelWidth; kx++)
                for (int k = 0; k < count; k++)
                    w.Line($"{Types.Unsafe}.Add(ref taps, {Code.Sum(Code.Int(kx) + $" * {n}Filters", Filter(k))}) += {vector.Sum($"g{kx}_{k}")};");
        }
    }
}

