namespace CompiledNets.Generator.Emit;

/// <summary>
/// The gathered input gradient's weights, group by group of input channels. A group of four input channels reads,
/// per tap, four kernel rows of output channels (1 KiB for 64 filters) that lie a tap (8 KiB) apart in the kernel:
/// two L1 ways' worth of sets, so a group's 25 taps fight over the same sets and the whole kernel (200 KiB)
/// streamed from L2 for every tile of pixels. Packed, a group's taps are one contiguous run (25 KiB) that stays in
/// L1 while the group's pixels all read it (input channels are the kernel's outermost loop).
/// </summary>
internal sealed partial class ConvEmitter
{
    /// <summary>Where the group at input channel <c>ic</c> starts in the packed kernel: every group before it holds its channels' taps.</summary>
    private string GroupStart => $"ic * {Code.Int(_conv.KernelHeight * _conv.KernelWidth * _conv.Output.Channels)}";

    private void EmitPackKernelByInputChannels(SourceWriter w)
    {
        EmitDispatched(w, "PackKernelByInputChannels", "ref float parameters, ref float packedKernel", "ref parameters, ref packedKernel",
            $"Copies the kernel into packedKernel ({Code.Int(_conv.KernelSize)} floats) in the order {Name}BackwardInput reads it: " +
            (TransposesOnSomePath
                ? "on paths that compute it as a forward convolution, per block of input channels the flipped taps' rows of output channels, each with the block's input channels side by side; otherwise each group of input channels' taps contiguous."
                : "each group of input channels' taps contiguous."),
            EmitPackForInputGradientVector, EmitNothingToPack);
    }

    private void EmitPackByInputChannelsVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        int c = _conv.Input.Channels, fullChannels = c / Planning.ConvPlan.GatherChannels * Planning.ConvPlan.GatherChannels;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        if (fullChannels > 0)
        {
            using (w.Block($"for (int ic = 0; ic < {Code.Int(fullChannels)}; ic += {Planning.ConvPlan.GatherChannels})"))
                EmitPackGroup(w, path, Planning.ConvPlan.GatherChannels);
        }
        if (fullChannels < c)
        {
            using (w.Block($"for (int ic = {Code.Int(fullChannels)}; ic < {n}InChannels; ic++)"))
                EmitPackGroup(w, path, 1);
        }
    }

    private void EmitPackGroup(SourceWriter w, SimdPath path, int channels)
    {
        string n = Name, cls = path.Whole.Class;
        w.Line($"ref float group = ref {Types.Unsafe}.Add(ref packedKernel, {GroupStart});");
        using (w.Block($"for (int tap = 0; tap < {n}KernelHeight * {n}KernelWidth; tap++)"))
        {
            w.Line($"ref float source = ref {Types.Unsafe}.Add(ref kernel, (tap * {n}InChannels + ic) * {n}Filters);");
            w.Line($"ref float target = ref {Types.Unsafe}.Add(ref group, tap * {Code.Int(channels * _conv.Output.Channels)});");
            using (w.Block($"for (nint i = 0; i < {Code.Int(channels * _conv.Output.Channels)}; i += {path.Width}) // the group's rows of this tap lie side by side in the kernel too"))
                w.Line($"{cls}.StoreUnsafe({cls}.LoadUnsafe(ref source, (nuint)i), ref target, (nuint)i);");
        }
    }
}
