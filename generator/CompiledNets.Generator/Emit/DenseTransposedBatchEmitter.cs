using System;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The training kernels of a dense layer with few units (see <see cref="DensePlan.UsesTransposedKernel"/>), over a
/// chunk of samples stored back to back, reading the transposed kernel [out][in] so vectors run along the many
/// inputs. Such a layer is bound by cache traffic, not arithmetic, when each sample streams the whole kernel (or
/// gradient) from L2. The forward pass and the input gradient walk the inputs in tiles whose kernel rows fit L1
/// together, every sample of the chunk passing over a tile before the next, so the kernel leaves L2 once per chunk
/// and the per-sample values (output gradients) are broadcast once per tile into registers; the weight gradient sums
/// the whole chunk in registers per vector of inputs, so each gradient vector is loaded and stored once per chunk.
/// </summary>
internal sealed class DenseTransposedBatchEmitter
{
    private readonly DensePlan _dense;
    private readonly string _n;
    private readonly Func<string, string> _activate;

    public DenseTransposedBatchEmitter(DensePlan dense, Func<string, string> activate)
    {
        _dense = dense;
        _n = dense.Name;
        _activate = activate;
    }

    private int Inputs => _dense.Input.Size;

    private int Units => _dense.Output.Size;

    private static string Unsafe => Types.Unsafe;

    /// <summary>Bytes of kernel or gradient rows a tile keeps in L1 (32 KiB on Zen 3, 48 KiB on Zen 4; room left for the samples' inputs).</summary>
    private const int TileBytes = 16 * 1024;

    /// <summary>Inputs per tile: a whole number of vectors, the rows of all units within <see cref="TileBytes"/>.</summary>
    private int TileInputs(SimdPath path) => Math.Max(path.Width, TileBytes / (sizeof(float) * Units) / path.Width * path.Width);

    /// <summary>Inputs the vector loops cover; the rest (fewer than a vector) go one at a time.</summary>
    private int WholeVectors(SimdPath path) => Inputs / path.Width * path.Width;

    /// <summary>Registers for values held across a tile (broadcasts or accumulators): 10 of AVX2's 16, 20 of AVX-512's 32.</summary>
    private static int HeldRegisters(SimdPath path) => path.Registers * 5 / 8;

    /// <summary>Sample s + <paramref name="p"/> of a group, ready to multiply.</summary>
    private static string Sample(int p) => p == 0 ? "s" : $"(s + {p})";

    private void DeclareTransposed(SourceWriter w, string buffer) =>
        w.Line($"ref float transposed = ref {Unsafe}.Add(ref {buffer}, {_n}{(buffer == "transposedKernels" ? "TransposedOffset" : "TransposedGradientOffset")});");

    /// <summary>Opens the loop over the tiles of inputs: <c>tile</c> to <c>end</c>, whole vectors only.</summary>
    private IDisposable OpenTiles(SourceWriter w, SimdPath path)
    {
        // nint: the JIT folds "i + a unit's row offset" into each load's and store's address (an int index costs a sign
        // extension and an add per row, as many integer instructions as FMAs).
        var loop = w.Block($"for (nint tile = 0; tile < {Code.Int(WholeVectors(path))}; tile += {Code.Int(TileInputs(path))}) // {Code.Int(TileInputs(path))} inputs: every unit's row of the tile stays in L1; nint indexes fold into the addresses");
        w.Line($"nint end = {Types.Math}.Min(tile + {Code.Int(TileInputs(path))}, {Code.Int(WholeVectors(path))});");
        return loop;
    }

    /// <summary>The units in blocks of at most <paramref name="size"/>: (first unit, count).</summary>
    private (int First, int Count)[] UnitBlocks(int size) =>
        Enumerable.Range(0, (Units + size - 1) / size).Select(b => (b * size, Math.Min(size, Units - b * size))).ToArray();

    private static string UnitRange(int first, int count) => count == 1 ? $"unit {first}" : $"units {first}..{first + count - 1}";

    // ---- forward ---------------------------------------------------------------------------------

    /// <summary>
    /// The outputs start at the bias; per tile, pairs of samples against blocks of units add their partial dot
    /// products (one load per unit and per sample feeds units x samples FMAs); the activation comes last.
    /// </summary>
    public void EmitForwardVector(SourceWriter w, SimdPath path)
    {
        DeclareTransposed(w, "transposedKernels");
        w.Line($"ref float bias = ref {Unsafe}.Add(ref transposed, {_n}Units * {_n}Inputs);");
        using (w.Block("for (int s = 0; s < count; s++)"))
            w.Line($"{Types.MemoryMarshal}.CreateSpan(ref bias, {_n}Units).CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Unsafe}.Add(ref output, s * {_n}Units), {_n}Units));");
        if (WholeVectors(path) > 0)
        {
            using (OpenTiles(w, path))
            {
                w.Line("int s = 0;");
                using (w.Block($"for (; s <= count - {ForwardSamples}; s += {ForwardSamples})"))
                    EmitForwardTile(w, path, ForwardSamples);
                using (w.Block("for (; s < count; s++) // a last sample on its own"))
                    EmitForwardTile(w, path, 1);
            }
        }
        EmitForwardTailAndActivation(w, WholeVectors(path));
    }

    /// <summary>Samples per pass over a tile in the forward kernel: with a block of units, their accumulators fill the held registers.</summary>
    private const int ForwardSamples = 2;

    private void EmitForwardTile(SourceWriter w, SimdPath path, int samples)
    {
        string vector = path.Whole.Class, type = path.Whole.Type;
        for (int p = 0; p < samples; p++)
            w.Line($"ref float x{p} = ref {Unsafe}.Add(ref input, {Sample(p)} * {_n}Inputs);");
        foreach (var (first, units) in UnitBlocks(Math.Max(1, HeldRegisters(path) / samples)))
        {
            using var _ = w.Block($"// {UnitRange(first, units)}");
            for (int u = 0; u < units; u++)
                for (int p = 0; p < samples; p++)
                    w.Line($"var acc{u}_{p} = {type}.Zero;");
            using (w.Block($"for (nint i = tile; i < end; i += {Code.Int(path.Width)})"))
            {
                for (int p = 0; p < samples; p++)
                    w.Line($"var v{p} = {vector}.LoadUnsafe(ref x{p}, (nuint)i);");
                for (int u = 0; u < units; u++)
                {
                    w.Line($"var w{u} = {vector}.LoadUnsafe(ref transposed, (nuint)({Code.Int((first + u) * Inputs)} + i));");
                    for (int p = 0; p < samples; p++)
                        w.Line($"acc{u}_{p} = {Types.VectorMath}.MultiplyAdd(w{u}, v{p}, acc{u}_{p});");
                }
            }
            for (int u = 0; u < units; u++)
                for (int p = 0; p < samples; p++)
                    w.Line($"{Unsafe}.Add(ref output, {Sample(p)} * {_n}Units + {Code.Int(first + u)}) += {path.Whole.Sum($"acc{u}_{p}")};");
        }
    }

    /// <summary>Adds the inputs after <paramref name="from"/> one at a time, then applies the activation (or nothing).</summary>
    private void EmitForwardTailAndActivation(SourceWriter w, int from)
    {
        string activated = _activate("value");
        if (from == Inputs && activated == "value") return;
        using (w.Block("for (int s = 0; s < count; s++)"))
        using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
        {
            w.Line($"ref float value = ref {Unsafe}.Add(ref output, s * {_n}Units + unit);");
            if (from < Inputs)
            {
                using (w.Block($"for (int i = {Code.Int(from)}; i < {_n}Inputs; i++){(from > 0 ? " // the last inputs, one at a time" : "")}"))
                    w.Line($"value += {Unsafe}.Add(ref transposed, unit * {_n}Inputs + i) * {Unsafe}.Add(ref input, s * {_n}Inputs + i);");
            }
            if (activated != "value") w.Line($"value = {_activate("value")};");
        }
    }

    public void EmitForwardScalar(SourceWriter w)
    {
        DeclareTransposed(w, "transposedKernels");
        w.Line($"ref float bias = ref {Unsafe}.Add(ref transposed, {_n}Units * {_n}Inputs);");
        using (w.Block("for (int s = 0; s < count; s++)"))
        using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
            w.Line($"{Unsafe}.Add(ref output, s * {_n}Units + unit) = {Unsafe}.Add(ref bias, unit);");
        EmitForwardTailAndActivation(w, 0);
    }

    // ---- weight gradient ---------------------------------------------------------------------------

    /// <summary>
    /// Per vector of inputs and block of units, every sample of the chunk adds its products into registers (one
    /// input load and one broadcast output gradient per unit and sample), and each gradient vector is loaded, added
    /// to and stored once per chunk. Keeping the gradient in memory across samples instead (load, FMA per sample,
    /// store, tile by tile) took about 25 % longer for the seed's 5408 x 10 over 8 samples: a load and a store per
    /// two FMAs, against one broadcast per FMA here. Two vectors of inputs at a time, half the units per block, make
    /// that one broadcast per two FMAs (the seed: 21.6 -> 18.6 us; LeNet-5's 84 x 10: 2.9 -> 2.1 us).
    /// </summary>
    public void EmitWeightsVector(SourceWriter w, SimdPath path)
    {
        DeclareTransposed(w, "transposedGradients");
        EmitBiasGradient(w);
        if (WholeVectors(path) > 0)
        {
            using var _ = w.Block("// the whole vectors of inputs");
            w.Line("nint i = 0; // nint: the JIT folds \"i + a row offset\" into the addresses");
            using (w.Block($"for (; i + {Code.Int(path.Width)} < {Code.Int(WholeVectors(path))}; i += {Code.Int(2 * path.Width)}) // two vectors of inputs: each broadcast feeds two FMAs"))
                EmitWeightsSums(w, path, vectors: 2);
            using (w.Block($"for (; i < {Code.Int(WholeVectors(path))}; i += {Code.Int(path.Width)})"))
                EmitWeightsSums(w, path, vectors: 1);
        }
        EmitWeightsOneByOne(w, WholeVectors(path));
    }

    /// <summary>The chunk's sums for <paramref name="vectors"/> vectors of inputs from i, a block of units at a time.</summary>
    private void EmitWeightsSums(SourceWriter w, SimdPath path, int vectors)
    {
        string vector = path.Whole.Class, type = path.Whole.Type;
        string At(int v) => v == 0 ? "i" : $"i + {Code.Int(v * path.Width)}";
        string Sum(int u, int v) => vectors == 1 ? $"g{u}" : $"g{u}_{v}";
        foreach (var (first, units) in UnitBlocks(HeldRegisters(path) / vectors))
        {
            using var _ = w.Block($"// {UnitRange(first, units)}: the chunk's sum for {(vectors == 1 ? "this vector" : $"these {vectors} vectors")} of inputs");
            for (int u = 0; u < units; u++)
                for (int v = 0; v < vectors; v++)
                    w.Line($"var {Sum(u, v)} = {type}.Zero;");
            using (w.Block("for (int s = 0; s < count; s++)"))
            {
                w.Line($"ref float x = ref {Unsafe}.Add(ref input, s * {_n}Inputs);");
                for (int v = 0; v < vectors; v++)
                    w.Line($"var x{v} = {vector}.LoadUnsafe(ref x, {Code.Native(At(v))});");
                w.Line($"ref float d = ref {Unsafe}.Add(ref outputGradient, s * {_n}Units);");
                for (int u = 0; u < units; u++)
                {
                    w.Line($"var d{u} = {vector}.Create({Unsafe}.Add(ref d, {Code.Int(first + u)}));");
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"{Sum(u, v)} = {Types.VectorMath}.MultiplyAdd(x{v}, d{u}, {Sum(u, v)});");
                    }
                }
            }
            for (int u = 0; u < units; u++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string offset = $"(nuint)({Code.Sum(At(v), Code.Int((first + u) * Inputs))})";
                    w.Line($"{vector}.StoreUnsafe({vector}.LoadUnsafe(ref transposed, {offset}) + {Sum(u, v)}, ref transposed, {offset});");
                }
            }
        }
    }

    private void EmitBiasGradient(SourceWriter w)
    {
        w.Line($"ref float biasGradient = ref {Unsafe}.Add(ref transposed, {_n}Units * {_n}Inputs);");
        using (w.Block("for (int sample = 0; sample < count; sample++)"))
        using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
            w.Line($"{Unsafe}.Add(ref biasGradient, unit) += {Unsafe}.Add(ref outputGradient, sample * {_n}Units + unit);");
    }

    /// <summary>The kernel gradient of the inputs from <paramref name="from"/> on, one input at a time.</summary>
    private void EmitWeightsOneByOne(SourceWriter w, int from)
    {
        if (from >= Inputs) return;
        using (w.Block("for (int s = 0; s < count; s++)"))
        using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
        {
            w.Line($"float d = {Unsafe}.Add(ref outputGradient, s * {_n}Units + unit);");
            using (w.Block($"for (int i = {Code.Int(from)}; i < {_n}Inputs; i++){(from > 0 ? " // the last inputs, one at a time" : "")}"))
                w.Line($"{Unsafe}.Add(ref transposed, unit * {_n}Inputs + i) += {Unsafe}.Add(ref input, s * {_n}Inputs + i) * d;");
        }
    }

    public void EmitWeightsScalar(SourceWriter w)
    {
        DeclareTransposed(w, "transposedGradients");
        EmitBiasGradient(w);
        EmitWeightsOneByOne(w, 0);
    }

    // ---- input gradient ----------------------------------------------------------------------------

    /// <summary>Independent sums per vector of inputs: short chains of dependent FMAs, so consecutive vectors overlap.</summary>
    private const int SumChains = 2;

    /// <summary>
    /// Per tile and sample, a block of units' output gradients is broadcast into registers once; per vector of
    /// inputs, each unit's kernel vector (in L1 for the whole chunk) takes one FMA, and the sum is stored. Two
    /// vectors of inputs go together where the registers allow: the seed's 10 units make two chains of 5 dependent
    /// FMAs per vector, and a second vector's chains fill the latency (19.5 -> 17.8 us for 8 samples).
    /// </summary>
    public void EmitInputVector(SourceWriter w, SimdPath path)
    {
        string vector = path.Whole.Class;
        DeclareTransposed(w, "transposedKernels");
        if (WholeVectors(path) > 0)
        {
            using (OpenTiles(w, path))
            using (w.Block("for (int s = 0; s < count; s++)"))
            {
                w.Line($"ref float d = ref {Unsafe}.Add(ref outputGradient, s * {_n}Units);");
                w.Line($"ref float target = ref {Unsafe}.Add(ref inputGradient, s * {_n}Inputs);");
                foreach (var (first, units) in UnitBlocks(HeldRegisters(path)))
                {
                    bool accumulate = first > 0;
                    using var _ = w.Block($"// {UnitRange(first, units)}{(accumulate ? ", added to the sums of the units before" : "")}");
                    for (int u = 0; u < units; u++)
                        w.Line($"var d{u} = {vector}.Create({Unsafe}.Add(ref d, {Code.Int(first + u)}));");
                    w.Line("nint i = tile;");
                    if (units + 2 * Math.Min(SumChains, units) < path.Registers) // the held broadcasts, two sets of sums and a loaded vector
                    {
                        using (w.Block($"for (; i + {Code.Int(path.Width)} < end; i += {Code.Int(2 * path.Width)}) // two vectors of inputs at a time"))
                            EmitInputSums(w, path, first, units, accumulate, "sum", "next");
                    }
                    using (w.Block($"for (; i < end; i += {Code.Int(path.Width)})"))
                        EmitInputSums(w, path, first, units, accumulate, "sum");
                }
            }
        }
        EmitInputOneByOne(w, WholeVectors(path));
    }

    /// <summary>
    /// The input gradients of one vector of inputs from i per name in <paramref name="sums"/> (the next vectors after
    /// it), for the units from <paramref name="first"/>: each its own short chains of sums, interleaved, so the FMAs
    /// of several vectors are in flight together.
    /// </summary>
    private void EmitInputSums(SourceWriter w, SimdPath path, int first, int units, bool accumulate, params string[] sums)
    {
        string vector = path.Whole.Class, type = path.Whole.Type;
        int chains = Math.Min(SumChains, units);
        string At(int v) => v == 0 ? "i" : $"i + {Code.Int(v * path.Width)}";
        for (int v = 0; v < sums.Length; v++)
            for (int c = 0; c < chains; c++)
                w.Line($"var {sums[v]}{c} = {(c == 0 && accumulate ? $"{vector}.LoadUnsafe(ref target, {Code.Native(At(v))})" : $"{type}.Zero")};");
        for (int u = 0; u < units; u++)
            for (int v = 0; v < sums.Length; v++)
                w.Line($"{sums[v]}{u % chains} = {Types.VectorMath}.MultiplyAdd({vector}.LoadUnsafe(ref transposed, {Code.Native(Code.Sum(At(v), Code.Int((first + u) * Inputs)))}), d{u}, {sums[v]}{u % chains});");
        for (int v = 0; v < sums.Length; v++)
            w.Line($"{vector}.StoreUnsafe({string.Join(" + ", Enumerable.Range(0, chains).Select(c => sums[v] + c))}, ref target, {Code.Native(At(v))});");
    }

    /// <summary>The input gradient of the inputs from <paramref name="from"/> on, one input at a time.</summary>
    private void EmitInputOneByOne(SourceWriter w, int from)
    {
        if (from >= Inputs) return;
        using (w.Block("for (int s = 0; s < count; s++)"))
        using (w.Block($"for (int i = {Code.Int(from)}; i < {_n}Inputs; i++){(from > 0 ? " // the last inputs, one at a time" : "")}"))
        {
            w.Line("float sum = 0f;");
            using (w.Block($"for (int unit = 0; unit < {_n}Units; unit++)"))
                w.Line($"sum += {Unsafe}.Add(ref transposed, unit * {_n}Inputs + i) * {Unsafe}.Add(ref outputGradient, s * {_n}Units + unit);");
            w.Line($"{Unsafe}.Add(ref inputGradient, s * {_n}Inputs + i) = sum;");
        }
    }

    public void EmitInputScalar(SourceWriter w)
    {
        DeclareTransposed(w, "transposedKernels");
        EmitInputOneByOne(w, 0);
    }
}
