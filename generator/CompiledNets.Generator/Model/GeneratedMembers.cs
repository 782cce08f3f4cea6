using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace CompiledNets.Generator.Model;

/// <summary>
/// The names the generated partial class declares, so that a user's member or class of the same name is a CN
/// diagnostic (CN0023, CN0024) rather than a compiler error in a file the user did not write. Kept in step with
/// the emitters by GeneratedMembersTests, which reads every member the generated code declares.
/// Besides these, each layer's members begin with the layer's name ("Conv0Forward", "Pool1Output"): see
/// <see cref="IsLayerMember"/>.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>
    /// Public methods of design.md's table with their parameter types (fully qualified, as
    /// <c>SymbolDisplayFormat.FullyQualifiedFormat</c> writes them): a user's method of the same name and other
    /// parameters is an overload, which C# allows (<c>Classify(float[] pixels)</c> beside the generated one).
    /// </summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<ImmutableArray<string>>> ContractMethods = new Dictionary<string, ImmutableArray<ImmutableArray<string>>>
    {
        ["InitializeParameters"] = Overloads(ImmutableArray.Create("int")),
        ["Predict"] = Overloads(ImmutableArray.Create(ReadOnlySpanOfFloat, SpanOfFloat)),
        ["Classify"] = Overloads(ImmutableArray.Create(ReadOnlySpanOfFloat)),
        ["PredictBatch"] = Overloads(ImmutableArray.Create(ReadOnlySpanOfFloat, SpanOfFloat)),
        ["ComputeGradients"] = Overloads(
            ImmutableArray.Create(ReadOnlySpanOfFloat, "global::System.ReadOnlySpan<int>"),
            ImmutableArray.Create(ReadOnlySpanOfFloat, ReadOnlySpanOfFloat)),
        ["TrainStep"] = Overloads(
            ImmutableArray.Create(ReadOnlySpanOfFloat, "global::System.ReadOnlySpan<int>", "global::CompiledNets.Optimizer"),
            ImmutableArray.Create(ReadOnlySpanOfFloat, ReadOnlySpanOfFloat, "global::CompiledNets.Optimizer")),
        ["InputGradient"] = Overloads(
            ImmutableArray.Create(ReadOnlySpanOfFloat, "int", SpanOfFloat),
            ImmutableArray.Create(ReadOnlySpanOfFloat, ReadOnlySpanOfFloat, SpanOfFloat)),
    }.ToImmutableDictionary();

    private static ImmutableArray<ImmutableArray<string>> Overloads(params ImmutableArray<string>[] parameterLists) => ImmutableArray.Create(parameterLists);

    /// <summary>
    /// Every name the throwing stubs of an invalid network declare too (design.md's public members). A clash
    /// with one of these would break the stubs as well, so nothing is generated until it is renamed.
    /// </summary>
    public static readonly ImmutableHashSet<string> Public = ImmutableHashSet.Create(
        new[] { "InputSize", "OutputSize", "ParameterCount", "FlopsPerForward", "FlopsPerTrainStep", "Summary", "WorkerCount", "Parameters", "Gradients" }
            .Concat(ContractMethods.Keys)
            .ToArray());

    /// <summary>
    /// The private methods of a valid network. Their signatures are the emitters' business and change between
    /// versions, so a user's method of one of these names is a clash whatever its parameters.
    /// </summary>
    public static readonly ImmutableHashSet<string> PrivateMethods = ImmutableHashSet.Create(
        "PredictSamples", "ComputeBatchGradients", "SampleInputGradient", "TransposeKernels", "PackKernels", "SliceStart", "CompleteGradients", "RunBatch", "Forward", "Backward");

    /// <summary>The private state, helpers and nested types of a valid network (the stubs have none of them).</summary>
    public static readonly ImmutableHashSet<string> Private = ImmutableHashSet.Create(
        new[] { "Worker", "BatchKind", "BatchBuffers", "_batch", "_parameters", "_gradients", "_transposedKernels", "_packedKernels", "_packsKernels", "_workers", "_pool", "_batchKind", "_batchScale", "_slicedStep", "_dropoutSeed", "_trainingStep", "ChunkSize", "ReduceBlock" }
            .Concat(PrivateMethods)
            .ToArray());

    /// <summary>
    /// Interface members the generated class implements explicitly, by interface name. The stubs implement those
    /// of <c>ICompiledNetwork</c> too; <c>IBatchTask</c> only a valid network.
    /// </summary>
    public static readonly ImmutableDictionary<string, ImmutableHashSet<string>> ExplicitImplementations = new Dictionary<string, ImmutableHashSet<string>>
    {
        ["ICompiledNetwork"] = ImmutableHashSet.Create("Name", "InputSize", "OutputSize", "ParameterCount", "Summary", "Loss"),
        ["IBatchTask"] = ImmutableHashSet.Create("Execute", "Reduce", "Prepares", "Prepare"),
    }.ToImmutableDictionary();

    /// <summary>The interface whose explicit implementations the stubs repeat.</summary>
    public const string StubInterface = "ICompiledNetwork";

    /// <summary>True for a name the generated class declares whatever its layers (public or private).</summary>
    public static bool IsFixed(string name) => Public.Contains(name) || Private.Contains(name);

    /// <summary>
    /// True when <paramref name="name"/> looks like a layer's member: letters, then a digit ("Conv0Forward",
    /// "Dense12Units"). The parser keeps such names of the user's members for the planner, which alone knows the
    /// layers' names; other names cannot clash with a layer and stay out of the model (and out of its cache key).
    /// </summary>
    public static bool LooksLikeLayerMember(string name)
    {
        int letters = 0;
        while (letters < name.Length && char.IsLetter(name[letters])) letters++;
        return letters > 0 && letters < name.Length && char.IsDigit(name[letters]);
    }

    /// <summary>
    /// True when <paramref name="name"/> is one of the members of the layer named <paramref name="layer"/> (e.g.
    /// "Conv0"): the layer's name followed by anything but another digit ("Conv0Forward", not "Conv01").
    /// </summary>
    public static bool IsLayerMember(string name, string layer) =>
        name.StartsWith(layer, System.StringComparison.Ordinal)
        && (name.Length == layer.Length || !char.IsDigit(name[layer.Length]));

    private const string ReadOnlySpanOfFloat = "global::System.ReadOnlySpan<float>";
    private const string SpanOfFloat = "global::System.Span<float>";
}
