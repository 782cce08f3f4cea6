namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// One random declaration: the seed it was drawn from (all it takes to draw it again), the file that declares
/// the network, and, when other code can create the class, a file that uses every generated member.
/// </summary>
/// <param name="TypePath">The network's name from its namespace, through any containing types: "Outer0.Net".</param>
/// <param name="HasMarker">Whether [CompiledNetwork] is written at all: without it nothing is generated (CN0013).</param>
/// <param name="Usage">Code that calls every generated member, or null when the declaration cannot be used that way (static, generic, abstract, ...).</param>
/// <param name="ClashingName">The name from <see cref="ClashingNames"/> that the class, a type beside it or a member takes, if any.</param>
internal sealed record FuzzCase(int Seed, string? Namespace, string TypePath, string Source, bool HasMarker, string? Usage, string? ClashingName)
{
    public string FullName => Namespace is null ? TypePath : Namespace + "." + TypePath;

    /// <summary>
    /// How every file the generator writes for this case begins: its hint name is the full type name, and the
    /// namespace (or, in the global namespace, the outermost type) is unique to the case within a batch.
    /// </summary>
    public string HintPrefix => (Namespace ?? TypePath.Split('.')[0]) + ".";

    public string ReplayHint => $"{FuzzSettings.SeedVariable}={Seed} {FuzzSettings.CountVariable}=1";
}
