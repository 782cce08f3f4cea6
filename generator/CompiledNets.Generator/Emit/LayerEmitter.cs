using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Emits one layer's constants and methods. Every kernel method comes as a dispatcher plus one body per
/// vector width (<c>512</c>, <c>256</c>) and a plain scalar reference (<c>Scalar</c>) that also runs where no
/// wide vectors are accelerated; the JIT folds the dispatch to a direct call.
/// </summary>
internal abstract class LayerEmitter
{
    protected LayerEmitter(LayerPlan layer) => Layer = layer;

    public LayerPlan Layer { get; }

    public string Name => Layer.Name;

    /// <summary>One-line description for the comment above the layer's section.</summary>
    public abstract string Describe();

    public abstract void EmitConstants(SourceWriter w);

    /// <summary>Forward and backward methods; the input-gradient kernel only when someone consumes it.</summary>
    public abstract void EmitMethods(SourceWriter w, bool needsInputGradient);

    public static LayerEmitter For(LayerPlan layer) => layer switch
    {
        ConvPlan conv => new ConvEmitter(conv),
        MaxPoolPlan pool => new MaxPoolEmitter(pool),
        DensePlan dense => new DenseEmitter(dense),
        FlattenPlan flatten => new FlattenEmitter(flatten),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.GetType().Name),
    };

    protected void Constants(SourceWriter w, params (string Name, int Value)[] constants)
    {
        foreach (var (name, value) in constants)
            w.Line($"private const int {Name}{name} = {Code.Int(value)};");
    }

    /// <summary>Emits <c>{Name}{method}</c> dispatching to its 512, 256 and scalar bodies.</summary>
    protected void EmitDispatched(SourceWriter w, string method, string parameters, string arguments, string summary,
        Action<SourceWriter, SimdPath> vectorBody, Action<SourceWriter> scalarBody)
    {
        string full = Name + method;
        w.Line($"/// <summary>{summary}</summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (w.Block($"private static void {full}({parameters})"))
        {
            w.Line($"if (Vector512.IsHardwareAccelerated) {full}512({arguments});");
            w.Line($"else if (Vector256.IsHardwareAccelerated) {full}256({arguments});");
            w.Line($"else {full}Scalar({arguments});");
        }
        w.Line();
        foreach (var path in new[] { SimdPath.Vector512, SimdPath.Vector256 })
        {
            using (w.Block($"private static void {full}{path.Suffix}({parameters})"))
                vectorBody(w, path);
            w.Line();
        }
        w.Line("/// <summary>Scalar reference of the same computation, plain loops.</summary>");
        using (w.Block($"private static void {full}Scalar({parameters})"))
            scalarBody(w);
        w.Line();
    }

    /// <summary>Opens the loop of a channel block (or nothing for a block of constant offsets).</summary>
    protected static IDisposable OpenBlock(SourceWriter w, ChannelBlock block) =>
        block.LoopHeader is null ? new NoScope() : w.Block(block.LoopHeader);

    protected Activation LayerActivation => (Layer as ParametricLayerPlan)?.Activation ?? Activation.None;

    /// <summary>The activation applied to a vector or float expression in a store (Softmax is applied by the network).</summary>
    protected string Activate(string value) =>
        LayerActivation == Activation.ReLU ? $"VectorMath.Relu({value})" : value;

    protected string ActivateScalar(string value) => Activate(value);

    protected static string ActivationText(Activation activation) => activation switch
    {
        Activation.None => "no activation",
        Activation.Softmax => "softmax (applied with the loss)",
        _ => activation + " fused",
    };

    /// <summary>
    /// sum over the segments of <c>reference[offset + segment]</c> * <c>{d}{k}</c>: one vector FMA chain per
    /// vector class, reduced with <c>Sum</c>, plus the scalar products.
    /// </summary>
    protected static string DotProduct(IReadOnlyList<Segment> segments, string reference, string offset, string d)
    {
        var terms = new List<string>();
        foreach (var group in segments.Select((s, k) => (s, k)).GroupBy(x => x.s.Width).OrderByDescending(g => g.Key))
        {
            string? chain = null;
            foreach (var (s, k) in group)
            {
                string product = s.Load(reference, offset);
                chain = chain is null ? $"{product} * {d}{k}" : $"VectorMath.MultiplyAdd({product}, {d}{k}, {chain})";
            }
            terms.AddRange(group.Key == 1 ? new[] { chain! } : new[] { group.First().s.Sum(chain!) });
        }
        return string.Join(" + ", terms);
    }

    private sealed class NoScope : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
