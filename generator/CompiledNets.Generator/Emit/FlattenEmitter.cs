using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>Flatten: channels-last (h, w, c) memory already is the flat vector, so the layer shares its input's buffers and emits no code.</summary>
internal sealed class FlattenEmitter : LayerEmitter
{
    public FlattenEmitter(FlattenPlan flatten) : base(flatten)
    {
    }

    public override string Describe() => $"Flatten #{Layer.Position}: {Layer.Input} -> {Layer.Output}, a view of the same floats (no code)";

    public override void EmitConstants(SourceWriter w)
    {
    }

    public override void EmitMethods(SourceWriter w)
    {
    }
}
