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

    /// <summary>
    /// Forward and backward methods, input gradient included: <c>InputGradient</c> differentiates through every
    /// layer, even those whose input gradient training never needs.
    /// </summary>
    public abstract void EmitMethods(SourceWriter w);

    public static LayerEmitter For(LayerPlan layer) => layer switch
    {
        ConvPlan conv => new ConvEmitter(conv),
        MaxPoolPlan pool => new MaxPoolEmitter(pool),
        AveragePoolPlan pool => new AveragePoolEmitter(pool),
        DropoutPlan dropout => new DropoutEmitter(dropout),
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
        w.Line($"[{Types.MethodImpl}({Types.MethodImplOptions}.AggressiveInlining)]");
        using (w.Block($"private static void {full}({parameters})"))
        {
            w.Line($"if ({Types.Vector512}.IsHardwareAccelerated) {full}512({arguments});");
            w.Line($"else if ({Types.Vector256}.IsHardwareAccelerated) {full}256({arguments});");
            w.Line($"else {full}Scalar({arguments});");
        }
        w.Line();
        var bodies = new Dictionary<SimdPath, SourceWriter>();
        foreach (var path in new[] { SimdPath.Vector512, SimdPath.Vector256 })
        {
            var body = w.Fork();
            body.Line($"[{Types.MethodImpl}({Types.MethodImplOptions}.AggressiveOptimization)]");
            using (body.Block($"private static void {full}{path.Suffix}({parameters})"))
                vectorBody(body, path);
            bodies[path] = body;
        }
        if (bodies[SimdPath.Vector512].ToString().Replace(full + "512", full + "256") == bodies[SimdPath.Vector256].ToString())
        {
            // Every run of channels here is narrower than 16 floats, so the 512-bit body would repeat the 256-bit one.
            w.Line($"private static void {full}512({parameters}) => {full}256({arguments});");
        }
        else
        {
            w.Append(bodies[SimdPath.Vector512]);
        }
        w.Line();
        w.Append(bodies[SimdPath.Vector256]);
        w.Line();
        w.Line("/// <summary>Scalar reference of the same computation, plain loops.</summary>");
        using (w.Block($"private static void {full}Scalar({parameters})"))
            scalarBody(w);
        w.Line();
    }

    /// <summary>Opens the loop of a channel block (or nothing for a block of constant offsets).</summary>
    protected static IDisposable OpenBlock(SourceWriter w, ChannelBlock block) =>
        block.LoopHeader is null ? new NoScope() : w.Block(block.LoopHeader);

    protected Activation LayerActivation => (Layer as ParametricLayerPlan)?.Activation ?? Activation.None;

    /// <summary>
    /// The activation fused into the store of a vector or float expression: ReLU and leaky ReLU cost one
    /// instruction or two there. Sigmoid and Tanh run as a pass over the layer's output after it
    /// (<see cref="IsAppliedAfter"/>), Softmax with the loss or in Predict.
    /// </summary>
    protected string Activate(string value) => LayerActivation switch
    {
        Activation.ReLU => $"{Types.VectorMath}.Relu({value})",
        Activation.LeakyReLU => $"{Types.VectorMath}.LeakyRelu({value})",
        _ => value,
    };

    /// <summary>Activations the network applies over the whole output after the layer's kernel (exponentials do not fuse cheaply).</summary>
    public static bool IsAppliedAfter(Activation activation) => activation is Activation.Sigmoid or Activation.Tanh;

    protected static string ActivationText(Activation activation) => activation switch
    {
        Activation.None => "no activation",
        Activation.Softmax => "softmax (applied with the loss)",
        Activation.Sigmoid or Activation.Tanh => activation + " applied to the output after the kernel",
        _ => activation + " fused",
    };

    /// <summary>
    /// Emits the products <c>reference[offset + segment] * {d}{k}</c> summed per vector width into locals
    /// (<c>dot16</c>, <c>dot8</c>, ... one FMA per statement) and returns the expression of their total:
    /// the horizontal sums plus the scalar products.
    /// </summary>
    protected static string EmitDotProduct(SourceWriter w, IReadOnlyList<Segment> segments, string reference, string offset, string d)
    {
        var terms = new List<string>();
        foreach (var group in segments.Select((s, k) => (s, k)).GroupBy(x => x.s.Width).OrderByDescending(g => g.Key))
        {
            var (first, firstIndex) = group.First();
            string local = $"dot{group.Key}";
            w.Line($"var {local} = {first.Load(reference, offset)} * {d}{firstIndex};");
            foreach (var (s, k) in group.Skip(1))
                w.Line($"{local} = {Types.VectorMath}.MultiplyAdd({s.Load(reference, offset)}, {d}{k}, {local});");
            terms.Add(first.Sum(local));
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
