namespace CompiledNets.Generator.Model;

/// <summary>
/// A <c>[CompiledNetwork]</c> class as parsed from source: names and layer attributes in source order,
/// plus the problems found while reading them. Plain values only (no Roslyn symbols, nodes or locations),
/// so two parses of the same source compare equal and the incremental cache holds.
/// <see cref="HasUnboundAttributes"/> is set while an attribute does not bind (the user is typing): the
/// compiler reports that error itself, and the generator emits members that throw until it binds.
/// <see cref="LayerLikeMemberNames"/> are the names of the class's own members that may clash with a layer's
/// generated members ("Conv0Forward"); other member names are not kept, so editing them leaves the model equal.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    EquatableArray<LayerSpec> Layers,
    EquatableArray<PlanDiagnostic> Problems,
    bool HasUnboundAttributes = false,
    EquatableArray<string> LayerLikeMemberNames = default)
{
    /// <summary>Fully qualified name with dots, e.g. "Samples.Outer.MnistNet".</summary>
    public string FullName
    {
        get
        {
            string nested = string.Concat(System.Linq.Enumerable.Select(ContainingTypes, t => t.Name + "."));
            return (Namespace is null ? "" : Namespace + ".") + nested + ClassName;
        }
    }

    /// <summary>True when the class can take a generated partial declaration at all (it is partial, non-generic, non-static).</summary>
    public bool CanEmit => !System.Linq.Enumerable.Any(Problems, p => p.BlocksEmission);
}
