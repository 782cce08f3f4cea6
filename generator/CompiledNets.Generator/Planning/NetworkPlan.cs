using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// Plan stage output: every layer's shapes and parameter offsets, or the diagnostics that make the
/// network invalid. An invalid plan that <see cref="CanEmit"/> still gets generated members (that throw),
/// so the user sees the CN diagnostic instead of a cascade of "member not found" errors.
/// </summary>
internal sealed record NetworkPlan(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    Shape Input,
    EquatableArray<LayerPlan> Layers,
    LossFunction? Loss,
    EquatableArray<PlanDiagnostic> Diagnostics,
    bool CanEmit)
{
    public bool IsValid => Diagnostics.Count == 0 && Layers.Count > 0;

    public Shape Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;

    public int ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>Analytic FLOPs (2 per multiply-add) of one sample's forward pass.</summary>
    public long FlopsPerForward => 2 * Layers.Sum(l => l.MultiplyAdds);

    /// <summary>
    /// Analytic FLOPs of one sample's training step: forward, the weight gradients, and the input
    /// gradients of every parametric layer but the first (whose input gradient nobody needs).
    /// </summary>
    public long FlopsPerTrainStep
    {
        get
        {
            long weightGradients = Layers.Sum(l => l.MultiplyAdds);
            var first = Layers.OfType<ParametricLayerPlan>().FirstOrDefault();
            long inputGradients = weightGradients - (first?.MultiplyAdds ?? 0);
            return FlopsPerForward + 2 * (weightGradients + inputGradients);
        }
    }

    /// <summary>File name of the generated source.</summary>
    public string HintName
    {
        get
        {
            string nested = string.Concat(ContainingTypes.Select(t => t.Name + "."));
            return (Namespace is null ? "" : Namespace + ".") + nested + ClassName + ".g.cs";
        }
    }
}
