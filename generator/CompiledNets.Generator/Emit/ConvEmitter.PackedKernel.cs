using System.Linq;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The pooled forward kernel's weights, block by block. In the kernel ([ky][kx][ic][oc]) a channel block's vectors
/// for one tap lie a whole row of output channels apart from the next tap's (256 bytes for 64 channels, of which a
/// 24-channel block uses 96, across two cache lines), and every pool window walks all of them from L2. Packed, each
/// block's part of the kernel is one contiguous run in tap order ([block][ky][kx][ic][block channels]), which the
/// window walks front to back: the tutorial's 5x5 conv over 32 channels, 350 -> 290 us an image on AVX2 (same
/// bits: only where the weights are read from changes). The forward pass packs once per chunk of samples.
/// </summary>
internal sealed partial class ConvEmitter
{
    /// <summary>
    /// True when the pooled forward kernel reads a packed copy of the kernel: its input channels are a loop (many
    /// taps, so the weights outgrow L1) and its output channels split into blocks on some path.
    /// </summary>
    public bool PacksKernel =>
        Pool is not null && _conv.Input.Channels > MaxUnrolledPooledChannels
        && (PooledBlocks(SimdPath.Vector256).Count > 1 || PooledBlocks(SimdPath.Vector512).Count > 1);

    /// <summary>The forward kernels' extra parameter and argument ("" when the kernel is read in place).</summary>
    private string PackedKernelParameter => PacksKernel ? ", ref float packedKernel" : "";

    private string PackedKernelArgument => PacksKernel ? ", ref packedKernel" : "";

    /// <summary>Floats of one block's channels, the stride between its taps in the packed kernel.</summary>
    private static int BlockWidth(ChannelBlock block) => block.Segments.Sum(s => s.Width);

    /// <summary>
    /// Where channel block <paramref name="block"/>'s part starts in a buffer packed block by block, each block's
    /// channels side by side over <paramref name="run"/> positions (taps, pixels): its first channel times the run.
    /// </summary>
    private static string PackedBlockStart(ChannelBlock block, int run) =>
        int.TryParse(block.Offset, out int first) ? Code.Int((long)first * run) : Code.Times(block.Offset, Code.Int(run));

    /// <summary>The scalar body of a packing method: the scalar references read the kernel in place.</summary>
    private static void EmitNothingToPack(SourceWriter w) =>
        w.Line("// The scalar reference reads the kernel in place: nothing to pack.");

    /// <summary>Where block <paramref name="block"/>'s kernel row <c>ky</c> starts in the packed kernel.</summary>
    private string PackedTaps(ChannelBlock block) =>
        $"ref float taps = ref {Types.Unsafe}.Add(ref packedKernel, {Code.Sum(PackedBlockStart(block, Taps), $"ky * {Code.Int(_conv.KernelWidth * _conv.Input.Channels * BlockWidth(block))}")});";

    private void EmitPackKernel(SourceWriter w)
    {
        if (!PacksKernel) return;
        EmitDispatched(w, "PackKernel", "ref float parameters, ref float packedKernel", "ref parameters, ref packedKernel",
            $"Copies the kernel into packedKernel ({Code.Int(_conv.KernelSize)} floats) in the order {Name}ForwardPooled reads it: each channel block's part contiguous, tap after tap.",
            EmitPackKernelVector, EmitNothingToPack);
    }

    private void EmitPackKernelVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        foreach (var block in PooledBlocks(path))
        {
            using var _ = OpenBlock(w, block);
            int width = BlockWidth(block);
            string start = PackedBlockStart(block, Taps);
            w.Line(start == "0" ? "ref float target = ref packedKernel;" : $"ref float target = ref {Types.Unsafe}.Add(ref packedKernel, {start});");
            using (w.Block($"for (int tap = 0; tap < {Code.Int(Taps)}; tap++) // (ky, kx, ic) in the kernel's order"))
            {
                w.Line($"ref float source = ref {Types.Unsafe}.Add(ref kernel, tap * {n}Filters);");
                w.Line($"ref float packed = ref {Types.Unsafe}.Add(ref target, tap * {Code.Int(width)});");
                foreach (var s in block.Segments)
                    w.Line(s.Store(s.Load("source", block.Offset), "packed", "0"));
            }
        }
    }
}
