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

    /// <summary>
    /// The max pool right after conv layer <paramref name="index"/>, whose windows tile the conv's output: the conv
    /// then computes the pool's forward pass in the same kernel and its own output is never stored. Null otherwise.
    /// </summary>
    public MaxPoolPlan? FusedPool(int index) =>
        PoolAfterConv(index) is { IsTiling: true } pool ? pool : null;

    /// <summary>
    /// True when layer <paramref name="index"/> is a conv whose output feeds a max pool alone: its activation's
    /// derivative is then applied to the pool's output gradient, a quarter of the values for 2x2 windows. A max
    /// pool passes each window's gradient to its arg-max, whose conv output is the pooled value, and every
    /// activation here has its derivative written in terms of its output, so the result is the same.
    /// </summary>
    public bool ActivatesAtPool(int index) => PoolAfterConv(index) is not null;

    private MaxPoolPlan? PoolAfterConv(int index) =>
        index >= 0 && index + 1 < Layers.Count && Layers[index] is ConvPlan ? Layers[index + 1] as MaxPoolPlan : null;

    /// <summary>
    /// Samples a worker runs through the layers together. Large dense layers read their kernel once per chunk
    /// instead of once per sample; without one, a chunk of one keeps each sample's activations in cache.
    /// </summary>
    public int ChunkSize =>
        Layers.OfType<DensePlan>().Any(d => d.UsesBatchKernels) ? BatchChunk
        : Layers.OfType<DensePlan>().Any(d => d.UsesTransposedKernel && d.KernelSize >= DensePlan.BatchKernelsFrom) ? TransposedChunk
        : 1;

    /// <summary>Chunk of a network with batched layers: enough samples to amortize a kernel read, few enough to stay in cache.</summary>
    private const int BatchChunk = 32;

    /// <summary>
    /// Chunk of a network whose large dense layers have few units (the seed network's 5408 x 10): their kernel and
    /// gradient are read once per pair of samples, while a few samples' conv activations still fit the caches.
    /// </summary>
    private const int TransposedChunk = 8;

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
