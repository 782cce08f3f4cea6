using System;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Dense: y = activation(x · W + b) with W stored [in][out], vectorized over the units (one row of W per
/// input value). Forward keeps several independent accumulator sets when the units are few, so the FMA
/// latency does not serialize the loop over inputs.
/// </summary>
internal sealed partial class DenseEmitter : LayerEmitter
{
    private readonly DensePlan _dense;

    public DenseEmitter(DensePlan dense) : base(dense) => _dense = dense;

    private int Inputs => _dense.Input.Size;

    private int Units => _dense.Output.Size;

    public override string Describe() =>
        $"Dense #{_dense.Position}: {_dense.Input} -> {_dense.Output}, {ActivationText(_dense.Activation)}";

    public override void EmitConstants(SourceWriter w)
    {
        Constants(w, ("Inputs", Inputs), ("Units", Units), ("KernelOffset", _dense.KernelOffset), ("BiasOffset", _dense.BiasOffset));
        if (_dense.UsesTransposedKernel)
            Constants(w, ("TransposedOffset", TransposedOffset), ("TransposedGradientOffset", TransposedGradientOffset));
        if (_dense.UsesBatchKernels)
            Constants(w, ("PackedOffset", PackedOffset), ("KernelEnd", _dense.KernelOffset + _dense.KernelSize));
    }

    /// <summary>Where this layer's packed kernel starts in the network's packed-kernel buffer.</summary>
    public int PackedOffset { get; init; }

    /// <summary>
    /// The chunk size from which the forward kernel reads the packed kernel, on the path it runs on: a batch whose
    /// chunks are all smaller need not pack it.
    /// </summary>
    private void EmitPackingGroup(SourceWriter w)
    {
        w.Line($"/// <summary>True when a chunk of count samples reads {Name}'s packed kernel (a full group of samples on this machine's vector path).</summary>");
        w.Line($"private static bool {Name}ReadsPackedKernel(int count) => count >= ({Types.Vector512}.IsHardwareAccelerated ? {DenseBatchEmitter.PackingGroup(_dense, SimdPath.Vector512)} : {Types.Vector256}.IsHardwareAccelerated ? {DenseBatchEmitter.PackingGroup(_dense, SimdPath.Vector256)} : int.MaxValue);");
        w.Line();
    }

    /// <summary>A large layer: its kernels run over a chunk of samples stored back to back (see <see cref="DenseBatchEmitter"/>).</summary>
    private void EmitBatchMethods(SourceWriter w)
    {
        var batch = new DenseBatchEmitter(_dense, Activate);
        EmitDispatched(w, "PackKernel", "ref float parameters, ref float packedKernel, int workerIndex, int workerCount", "ref parameters, ref packedKernel, workerIndex, workerCount",
            $"Packs worker workerIndex's share of the kernel's row panels into packedKernel ({Code.Int(_dense.KernelSize)} floats) in {Name}Forward's reading order.",
            batch.EmitPackKernelVector, body => body.Line($"// The scalar {Name}Forward reads the kernel itself."));
        EmitDispatched(w, "Forward", "ref float input, ref float parameters, ref float output, int count, ref float packedKernel", "ref input, ref parameters, ref output, count, ref packedKernel",
            $"Forward pass of count samples: output = activation(input · kernel + bias), each kernel vector loaded once per group of samples (from packedKernel, packed for the batch, when the samples make a group).",
            batch.EmitForwardVector, batch.EmitForwardScalar);
        EmitPackingGroup(w);
        EmitBiasGradient(w);
        EmitDispatched(w, "PackOutputGradients", "ref float outputGradient, int count, ref float batchOutputGradients, int first, int total", "ref outputGradient, count, ref batchOutputGradients, first, total",
            $"Copies the output gradients of count samples, the batch's samples first to first + count - 1, into batchOutputGradients (total samples) in {Name}BatchWeightGradients' reading order.",
            batch.EmitPackOutputGradientsVector, batch.EmitPackOutputGradientsScalar);
        EmitRowsPerPiece(w);
        EmitDispatched(w, "BatchWeightGradients", "ref float batchInputs, ref float batchOutputGradients, int total, int firstRow, int endRow, ref float gradients", "ref batchInputs, ref batchOutputGradients, total, firstRow, endRow, ref gradients",
            "Writes the kernel gradient rows firstRow to endRow - 1 (input ⊗ outputGradient summed over the batch's total samples, in sample order) from every sample's input (batchInputs) and packed output gradients.",
            batch.EmitBatchWeightsVector, batch.EmitBatchWeightsScalar);
        EmitDispatched(w, "BackwardInput", "ref float outputGradient, ref float parameters, ref float inputGradient, int count", "ref outputGradient, ref parameters, ref inputGradient, count",
            "Writes d(loss)/d(input) of count samples: kernel · outputGradient, each kernel vector loaded once per group of samples.",
            batch.EmitInputVector, batch.EmitInputScalar);
    }

    /// <summary>
    /// The bias gradient, added per chunk to the worker's gradients (summed over the workers in Reduce): 1 float per
    /// unit, too few to be worth the batch-wide treatment of the kernel.
    /// </summary>
    private void EmitBiasGradient(SourceWriter w)
    {
        w.Line("/// <summary>Adds the bias gradients (the output gradients) of count samples to gradients, in sample order.</summary>");
        using (w.Block($"private static void {Name}BackwardBias(ref float outputGradient, ref float gradients, int count)"))
        {
            w.Line($"{Types.Span}<float> biasGradient = {Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref gradients, {Name}BiasOffset), {Name}Units);");
            w.Line("for (int sample = 0; sample < count; sample++)");
            w.Line($"    {Types.TensorPrimitives}.Add(biasGradient, {Types.MemoryMarshal}.CreateReadOnlySpan(ref {Types.Unsafe}.Add(ref outputGradient, sample * {Name}Units), {Name}Units), biasGradient);");
        }
        w.Line();
    }

    /// <summary>Kernel rows per piece of a worker's slice in Reduce, on the path this machine runs (see <see cref="DenseBatchEmitter.RowsPerPiece"/>).</summary>
    private void EmitRowsPerPiece(SourceWriter w)
    {
        w.Line($"/// <summary>Kernel gradient rows Reduce computes, then steps, at a time: whole row groups of {Name}BatchWeightGradients, about 4096 floats.</summary>");
        w.Line($"private static int {Name}RowsPerPiece => {Types.Vector512}.IsHardwareAccelerated ? {DenseBatchEmitter.RowsPerPiece(_dense, SimdPath.Vector512)} : {Types.Vector256}.IsHardwareAccelerated ? {DenseBatchEmitter.RowsPerPiece(_dense, SimdPath.Vector256)} : {DenseBatchEmitter.RowsPerPiece(_dense, null)};");
        w.Line();
    }

    /// <summary>A layer with few units: its training kernels read the transposed kernel, over a chunk of samples (see <see cref="DenseTransposedBatchEmitter"/>).</summary>
    private void EmitTransposedBatchMethods(SourceWriter w)
    {
        var batch = new DenseTransposedBatchEmitter(_dense, Activate);
        EmitDispatched(w, "BackwardWeights", "ref float input, ref float outputGradient, ref float transposedGradients, int count", "ref input, ref outputGradient, ref transposedGradients, count",
            "Adds the kernel gradients (outputGradient ⊗ input, [out][in]) and bias gradients of count samples to the worker's transposed gradients: vectors run along the inputs.",
            batch.EmitWeightsVector, batch.EmitWeightsScalar);
        EmitCopyTransposedGradient(w);
        EmitDispatched(w, "ForwardTransposed", "ref float input, ref float transposedKernels, ref float output, int count", "ref input, ref transposedKernels, ref output, count",
            "The forward pass of count samples from the transposed kernel: dot products along the inputs, each kernel vector loaded once per pair of samples.",
            batch.EmitForwardVector, batch.EmitForwardScalar);
        EmitTranspose(w);
        EmitDispatched(w, "BackwardInput", "ref float outputGradient, ref float transposedKernels, ref float inputGradient, int count", "ref outputGradient, ref transposedKernels, ref inputGradient, count",
            "Writes d(loss)/d(input) of count samples = kernel · outputGradient from the transposed kernel, each kernel vector loaded once per chunk.",
            batch.EmitInputVector, batch.EmitInputScalar);
    }

    /// <summary>Where this layer's transposed kernel starts in the network's transposed-kernel buffer.</summary>
    public int TransposedOffset { get; init; }

    /// <summary>Where this layer's transposed kernel gradient, then its bias gradient, start in a worker's transposed-gradient buffer.</summary>
    public int TransposedGradientOffset { get; init; }

    public override void EmitMethods(SourceWriter w)
    {
        if (_dense.UsesBatchKernels)
        {
            EmitBatchMethods(w);
            return;
        }
        EmitDispatched(w, "Forward", "ref float input, ref float parameters, ref float output", "ref input, ref parameters, ref output",
            "Forward pass of one sample: output = activation(input · kernel + bias).",
            EmitForwardVector, EmitForwardScalar);
        if (HasForwardPair)
        {
            EmitDispatched(w, "ForwardPair", "ref float input, ref float parameters, ref float output", "ref input, ref parameters, ref output",
                $"Forward pass of two samples stored back to back, each kernel vector loaded once for both; each sample's outputs have the bits {Name}Forward gives it.",
                (body, path) =>
                {
                    if (PeriodRows(path) is > 0 and var rows) EmitForwardPeriodic(body, path, rows, samples: 2);
                    else EmitForwardPairBySample(body, path.Suffix);
                },
                body => EmitForwardPairBySample(body, "Scalar"));
        }
        if (_dense.UsesTransposedKernel)
        {
            EmitTransposedBatchMethods(w);
            return;
        }
        EmitDispatched(w, "BackwardWeights", "ref float input, ref float outputGradient, ref float gradients", "ref input, ref outputGradient, ref gradients",
            "Adds this sample's kernel gradient (input ⊗ outputGradient) and bias gradient to gradients.",
            EmitWeightsVector, EmitWeightsScalar);
        EmitDispatched(w, "BackwardInput", "ref float outputGradient, ref float parameters, ref float inputGradient", "ref outputGradient, ref parameters, ref inputGradient",
            "Writes d(loss)/d(input) = kernel · outputGradient.",
            EmitInputVector, EmitInputScalar);
    }

    /// <summary>
    /// Independent accumulator sets: at least 8 accumulators in flight, since an FMA's result is ready 4 cycles
    /// later and two issue per cycle; fewer would leave the loop waiting on its own sums.
    /// </summary>
    private static int Interleave(int segments) => Math.Min(4, (8 + segments - 1) / segments);

    private void EmitForwardVector(SourceWriter w, SimdPath path)
    {
        if (PeriodRows(path) is > 0 and var rows)
        {
            EmitForwardPeriodic(w, path, rows, samples: 1);
            return;
        }
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        var blocks = ChannelBlocks.Split(path, Units, "unit");
        foreach (var block in blocks)
        {
            using var _ = OpenBlock(w, block);
            int sets = ChannelBlocks.IsSplit(path, Units) ? 1 : Interleave(block.Segments.Count);
            var seg = block.Segments;
            for (int set = 0; set < sets; set++)
                for (int k = 0; k < seg.Count; k++)
                    w.Line($"var acc{k}_{set} = {(set == 0 ? seg[k].Load("bias", block.Offset) : seg[k].Zero)};");
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
                w.Line($"ref float row = ref {Types.Unsafe}.Add(ref kernel, i * {n}Units);");
                for (int set = 0; set < sets; set++)
                {
                    w.Line($"float x{set} = {Types.Unsafe}.Add(ref input, {Code.Plus("i", set)});");
                    for (int k = 0; k < seg.Count; k++)
                        w.Line($"acc{k}_{set} = {Types.VectorMath}.MultiplyAdd({seg[k].Broadcast("x" + set)}, {seg[k].Load("row", Code.Sum(Code.Int(set * Units), block.Offset))}, acc{k}_{set});");
                }
            }
            if (unrolledEnd != Inputs)
            {
                using (w.Block($"for (; i < {n}Inputs; i++) // the inputs left over"))
                {
                    w.Line($"ref float row = ref {Types.Unsafe}.Add(ref kernel, i * {n}Units);");
                    w.Line($"float x0 = {Types.Unsafe}.Add(ref input, i);");
                    for (int k = 0; k < seg.Count; k++)
                        w.Line($"acc{k}_0 = {Types.VectorMath}.MultiplyAdd({seg[k].Broadcast("x0")}, {seg[k].Load("row", block.Offset)}, acc{k}_0);");
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
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
        {
            w.Line($"float sum = {Types.Unsafe}.Add(ref bias, unit);");
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
                w.Line($"sum += {Types.Unsafe}.Add(ref input, i) * {Types.Unsafe}.Add(ref kernel, i * {n}Units + unit);");
            w.Line($"{Types.Unsafe}.Add(ref output, unit) = {Activate("sum")};");
        }
    }

    private void EmitWeightsVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset);");
        foreach (var block in ChannelBlocks.Split(path, Units, "unit"))
        {
            using var _ = OpenBlock(w, block);
            var seg = block.Segments;
            for (int k = 0; k < seg.Count; k++)
            {
                w.Line($"var d{k} = {seg[k].Load("outputGradient", block.Offset)};");
                w.Line(seg[k].AddTo($"d{k}", "biasGradient", block.Offset));
            }
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
            {
                w.Line($"ref float row = ref {Types.Unsafe}.Add(ref kernelGradient, i * {n}Units);");
                w.Line($"float x = {Types.Unsafe}.Add(ref input, i);");
                for (int k = 0; k < seg.Count; k++)
                    w.Line(seg[k].Store($"{Types.VectorMath}.MultiplyAdd({seg[k].Broadcast("x")}, d{k}, {seg[k].Load("row", block.Offset)})", "row", block.Offset));
            }
        }
    }

    private void EmitWeightsScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
        w.Line($"ref float biasGradient = ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset);");
        using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
        {
            w.Line($"float d = {Types.Unsafe}.Add(ref outputGradient, unit);");
            w.Line($"{Types.Unsafe}.Add(ref biasGradient, unit) += d;");
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
                w.Line($"{Types.Unsafe}.Add(ref kernelGradient, i * {n}Units + unit) += {Types.Unsafe}.Add(ref input, i) * d;");
        }
    }

    private void EmitInputVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        var blocks = ChannelBlocks.Split(path, Units, "unit");
        bool split = ChannelBlocks.IsSplit(path, Units);
        if (split)
            w.Line($"{Types.MemoryMarshal}.CreateSpan(ref inputGradient, {n}Inputs).Clear();");
        foreach (var block in blocks)
        {
            using var _ = OpenBlock(w, block);
            var seg = block.Segments;
            for (int k = 0; k < seg.Count; k++)
                w.Line($"var d{k} = {seg[k].Load("outputGradient", block.Offset)};");
            using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
            {
                w.Line($"ref float row = ref {Types.Unsafe}.Add(ref kernel, i * {n}Units);");
                string sum = EmitDotProduct(w, seg, "row", block.Offset, "d");
                w.Line($"{Types.Unsafe}.Add(ref inputGradient, i) {(split ? "+=" : "=")} {sum};");
            }
        }
    }

    /// <summary>Writes a worker's transposed kernel and bias gradients into the flat gradients, in their Keras layout.</summary>
    private void EmitCopyTransposedGradient(SourceWriter w)
    {
        string n = Name;
        w.Line("/// <summary>Writes the worker's transposed kernel gradient ([out][in]) and bias gradient into gradients, in the Keras layout (nothing else adds to them).</summary>");
        using (w.Block($"private static void {n}CopyTransposedGradient(ref float transposedGradients, ref float gradients)"))
        {
            w.Line($"ref float transposed = ref {Types.Unsafe}.Add(ref transposedGradients, {n}TransposedGradientOffset);");
            w.Line($"ref float kernelGradient = ref {Types.Unsafe}.Add(ref gradients, {n}KernelOffset);");
            w.Line($"{Types.MatrixTranspose}.Copy(ref transposed, rows: {n}Units, columns: {n}Inputs, ref kernelGradient);");
            w.Line($"{Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref transposed, {n}Units * {n}Inputs), {n}Units).CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref gradients, {n}BiasOffset), {n}Units));");
        }
        w.Line();
    }

    /// <summary>Copies the kernel [in][out] into the transposed buffer as [out][in].</summary>
    private void EmitTranspose(SourceWriter w)
    {
        string n = Name;
        w.Line("/// <summary>Copies worker workerIndex's share of the kernel rows, [in][out], into the transposed-kernel buffer as [out][in]; worker 0 also the bias.</summary>");
        using (w.Block($"private static void {n}TransposeKernel(ref float parameters, ref float transposedKernels, int workerIndex, int workerCount)"))
        {
            w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
            w.Line($"ref float transposed = ref {Types.Unsafe}.Add(ref transposedKernels, {n}TransposedOffset);");
            w.Line("// Whole blocks of 8 rows per worker (the transpose's register blocks); the last worker takes the rest.");
            w.Line($"int first = (int)((long){n}Inputs * workerIndex / workerCount) & ~7;");
            w.Line($"int end = workerIndex + 1 == workerCount ? {n}Inputs : (int)((long){n}Inputs * (workerIndex + 1) / workerCount) & ~7;");
            w.Line($"{Types.MatrixTranspose}.CopyRows(ref kernel, rows: {n}Inputs, columns: {n}Units, first, end, ref transposed);");
            w.Line($"// The bias follows, so the transposed forward pass reads one buffer.");
            w.Line($"if (workerIndex == 0) {Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset), {n}Units).CopyTo({Types.MemoryMarshal}.CreateSpan(ref {Types.Unsafe}.Add(ref transposed, {n}Units * {n}Inputs), {n}Units));");
        }
        w.Line();
    }

    private void EmitInputScalar(SourceWriter w)
    {
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        using (w.Block($"for (int i = 0; i < {n}Inputs; i++)"))
        {
            w.Line("float sum = 0f;");
            using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
                w.Line($"sum += {Types.Unsafe}.Add(ref kernel, i * {n}Units + unit) * {Types.Unsafe}.Add(ref outputGradient, unit);");
            w.Line($"{Types.Unsafe}.Add(ref inputGradient, i) = sum;");
        }
    }
}
