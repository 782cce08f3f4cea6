using System.Globalization;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Dropout (inverted): in a training pass each value is kept with probability 1 - rate and scaled by
/// 1 / (1 - rate), so inference needs no scaling and copies its input through. The mask, drawn from a stream
/// fixed by the network's seed, the training step and the sample's index in the batch, is kept for the
/// backward pass: the same seed gives the same masks whatever the worker count.
/// </summary>
internal sealed class DropoutEmitter : LayerEmitter
{
    private readonly DropoutPlan _dropout;

    public DropoutEmitter(DropoutPlan dropout) : base(dropout) => _dropout = dropout;

    public override string Describe() =>
        $"Dropout #{_dropout.Position}: {_dropout.Input}, rate {Rate} in training, identity in inference";

    private string Rate => _dropout.Rate.ToString("R", CultureInfo.InvariantCulture);

    public override void EmitConstants(SourceWriter w)
    {
        Constants(w, ("Size", _dropout.Input.Size));
        w.Line($"private const float {Name}Rate = {((float)_dropout.Rate).ToString("R", CultureInfo.InvariantCulture)}f;");
        w.Line($"private const float {Name}KeepScale = 1f / (1f - {Name}Rate);");
    }

    public override void EmitMethods(SourceWriter w)
    {
        string n = Name;
        w.Line("/// <summary>Training pass: zeroes each value with probability Rate, scales the others by 1 / (1 - Rate), and keeps the mask.</summary>");
        using (w.Block($"private static void {n}Forward(ref float input, ref float output, ref float mask, {Types.SeededRandom} random)"))
        using (w.Block($"for (int i = 0; i < {n}Size; i++)"))
        {
            w.Line($"float keep = random.NextSingle() >= {n}Rate ? {n}KeepScale : 0f;");
            w.Line($"{Types.Unsafe}.Add(ref mask, i) = keep;");
            w.Line($"{Types.Unsafe}.Add(ref output, i) = {Types.Unsafe}.Add(ref input, i) * keep;");
        }
        w.Line();
        w.Line("/// <summary>Inference pass (and InputGradient's): the identity, with a mask of ones for the backward pass.</summary>");
        using (w.Block($"private static void {n}ForwardIdentity(ref float input, ref float output, ref float mask)"))
        {
            w.Line($"{Types.MemoryMarshal}.CreateReadOnlySpan(ref input, {n}Size).CopyTo({Types.MemoryMarshal}.CreateSpan(ref output, {n}Size));");
            w.Line($"{Types.MemoryMarshal}.CreateSpan(ref mask, {n}Size).Fill(1f);");
        }
        w.Line();
        w.Line("/// <summary>d(loss)/d(input) = d(loss)/d(output) * mask.</summary>");
        using (w.Block($"private static void {n}Backward(ref float outputGradient, ref float mask, ref float inputGradient)"))
        {
            w.Line($"{Types.TensorPrimitives}.Multiply({Types.MemoryMarshal}.CreateReadOnlySpan(ref outputGradient, {n}Size), {Types.MemoryMarshal}.CreateReadOnlySpan(ref mask, {n}Size), {Types.MemoryMarshal}.CreateSpan(ref inputGradient, {n}Size));");
        }
        w.Line();
    }
}
