using System;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Dense: y = activation(x · W + b) with W stored [in][out], vectorized over the units (one row of W per
/// input value). Forward keeps several independent accumulator sets when the units are few, so the FMA
/// latency does not serialize the loop over inputs.
/// </summary>
internal sealed class DenseEmitter : LayerEmitter
{
    private readonly DensePlan _dense;

    public DenseEmitter(DensePlan dense) : base(dense) => _dense = dense;

    private int Inputs => _dense.Input.Size;

    private int Units => _dense.Output.Size;

    public override string Describe() =>
        $"Dense #{_dense.Position}: {_dense.Input} -> {_dense.Output}, {ActivationText(_dense.Activation)}";

    public override void EmitConstants(SourceWriter w) =>
        Constants(w, ("Inputs", Inputs), ("Units", Units), ("KernelOffset", _dense.KernelOffset), ("BiasOffset", _dense.BiasOffset));

    public override void EmitMethods(SourceWriter w, bool needsInputGradient)
    {
        EmitDispatched(w, "Forward", "ref float input, ref float parameters, ref float output", "ref input, ref parameters, ref output",
            "Forward pass of one sample: output = activation(input · kernel + bias).",
            EmitForwardVector, EmitForwardScalar);
        EmitDispatched(w, "BackwardWeights", "ref float input, ref float outputGradient, ref float gradients", "ref input, ref outputGradient, ref gradients",
            "Adds this sample's kernel gradient (input ⊗ outputGradient) and bias gradient to gradients.",
            EmitWeightsVector, EmitWeightsScalar);
        if (needsInputGradient)
        {
            EmitDispatched(w, "BackwardInput", "ref float outputGradient, ref float parameters, ref float inputGradient", "ref outputGradient, ref parameters, ref inputGradient",
                "Writes d(loss)/d(input) = kernel · outputGradient.",
                EmitInputVector, EmitInputScalar);
        }
    }

    /// <summary>
    /// Independent accumulator sets: at least 8 accumulators in flight, since an FMA's result is ready 4 cycles
    /// later and two issue per cycle; fewer would leave the loop waiting on its own sums.
    /// </summary>
    private static int Interleave(int segments) => Math.Min(4, (8 + segments - 1) / segments);

    private void EmitForwardVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        w.Line($"ref float kernel = ref Unsafe.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref Unsafe.Add(ref parameters, {n}BiasOffset);");
        var blocks = ChannelBlocks.Split(path, Units, "unit");
        foreach (var block in blocks)
        {
            using var _ = OpenBlock(w, block);
            int sets = ChannelBlocks.IsSplit(path, Units) ? 1 : Interleave(block.Segments.Count);
            var seg = block.Segments;
            for (int set = 0; set < sets; set++)
                for (int k = 0; k < seg.Count; k++)
                    w.Line($"{seg[k].Type} acc{k}_{set} = {(set == 0 ? seg[k].Load("bias", block.Offset) : seg[k].Zero)};");
            int unrolledEnd = Inputs / sets * sets;
            string end = unrolledEnd == Inputs ? $"{n}Inputs" : Code.Int(unrolledEnd);
            string header = sets == 1 ? $"for (int i = 0; i < {end}; i++)" : $"for (; i < {end}; i += {Code.Int(sets)})";
            if (sets > 1)
            {
                w.Line($"// {sets} independent sums, so consecutive FMAs do not wait for each other.");
                w.Line("int i = 0;");
            }
            using (w.Block(header))
            {
                w.Line($"ref float row = ref Unsafe.Add(ref kernel, i * {n}Units);");
                for (int set = 0; set < sets; set++)
                {
                    w.Line($"float x{set} = Unsafe.Add(ref input, {Code.Plus("i", set)});");
                    for (int k = 0; k < seg.Count; k++)
                        w.Line($"acc{k}_{set} = VectorMath.MultiplyAdd({seg[k].Broadcast("x" + set)}, {seg[k].Load("row", Code.Sum(Code.Int(set * Units), block.Offset))}, acc{k}_{set});");
                }
            }
            if (unrolledEnd != Inputs)
            {
                using (w.Block($"for (; i < {n}Inputs; i++) // the inputs left over"))
                {
                    w.Line($"ref float row = ref Unsafe.Add(ref kernel, i * {n}Units);");
                    w.Line("float x0 = Unsafe.Add(ref input, i);");
                    for (int k = 0; k < seg.Count; k++)
                        w.Line($"acc{k}_0 = VectorMath.MultiplyAdd({seg[k].Broadcast("x0")}, {seg[k].Load("row", block.Offset)}, acc{k}_0);");
                }
            }
            for (int k = 0; k < seg.Count; k++)
            {
                string sum = string.Join(" + ", Enumerable.Range(0, sets).Select(set => $"acc{k}_{set}"));
                w.Line(seg[k].Store(Activate(sum), "output", block.Offset));
            }
        }
    }

    private void EmitForwardScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernel = ref Unsafe.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref Unsafe.Add(ref parameters, {n}BiasOffset);");
        using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
        {
            w.Line("float sum = Unsafe.Add(ref bias, unit);");
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
                w.Line($"sum += Unsafe.Add(ref input, i) * Unsafe.Add(ref kernel, i * {n}Units + unit);");
            w.Line($"Unsafe.Add(ref output, unit) = {ActivateScalar("sum")};");
        }
    }

    private void EmitWeightsVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        w.Line($"ref float kernelGradient = ref Unsafe.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref Unsafe.Add(ref gradients, {n}BiasOffset);");
        foreach (var block in ChannelBlocks.Split(path, Units, "unit"))
        {
            using var _ = OpenBlock(w, block);
            var seg = block.Segments;
            for (int k = 0; k < seg.Count; k++)
            {
                w.Line($"{seg[k].Type} d{k} = {seg[k].Load("outputGradient", block.Offset)};");
                w.Line(seg[k].AddTo($"d{k}", "biasGradient", block.Offset));
            }
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
            {
                w.Line($"ref float row = ref Unsafe.Add(ref kernelGradient, i * {n}Units);");
                w.Line("float x = Unsafe.Add(ref input, i);");
                for (int k = 0; k < seg.Count; k++)
                    w.Line(seg[k].Store($"VectorMath.MultiplyAdd({seg[k].Broadcast("x")}, d{k}, {seg[k].Load("row", block.Offset)})", "row", block.Offset));
            }
        }
    }

    private void EmitWeightsScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernelGradient = ref Unsafe.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref Unsafe.Add(ref gradients, {n}BiasOffset);");
        using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
        {
            w.Line("float d = Unsafe.Add(ref outputGradient, unit);");
            w.Line("Unsafe.Add(ref biasGradient, unit) += d;");
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
                w.Line($"Unsafe.Add(ref kernelGradient, i * {n}Units + unit) += Unsafe.Add(ref input, i) * d;");
        }
    }

    private void EmitInputVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        w.Line($"ref float kernel = ref Unsafe.Add(ref parameters, {n}KernelOffset);");
        var blocks = ChannelBlocks.Split(path, Units, "unit");
        bool split = ChannelBlocks.IsSplit(path, Units);
        if (split)
            w.Line($"MemoryMarshal.CreateSpan(ref inputGradient, {n}Inputs).Clear();");
        foreach (var block in blocks)
        {
            using var _ = OpenBlock(w, block);
            var seg = block.Segments;
            for (int k = 0; k < seg.Count; k++)
                w.Line($"{seg[k].Type} d{k} = {seg[k].Load("outputGradient", block.Offset)};");
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
            {
                w.Line($"ref float row = ref Unsafe.Add(ref kernel, i * {n}Units);");
                string sum = EmitDotProduct(w, seg, "row", block.Offset, "d");
                w.Line($"Unsafe.Add(ref inputGradient, i) {(split ? "+=" : "=")} {sum};");
            }
        }
    }

    private void EmitInputScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernel = ref Unsafe.Add(ref parameters, {n}KernelOffset);");
        using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
        {
            w.Line("float sum = 0f;");
            using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
                w.Line($"sum += Unsafe.Add(ref kernel, i * {n}Units + unit) * Unsafe.Add(ref outputGradient, unit);");
            w.Line("Unsafe.Add(ref inputGradient, i) = sum;");
        }
    }
}
