using System;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>How the network class is declared, with {0} for its name (replaced, not formatted: the braces are C#'s).</summary>
/// <param name="Usable">Other code can create it and call its generated members (needs healthy containers too).</param>
/// <param name="TypeParameters">What a second partial declaration must repeat; null when there can be none (a record).</param>
internal sealed record NetworkShape(string Declaration, bool Usable, string? TypeParameters = "")
{
    public string Named(string name) => Declaration.Replace("{0}", name, StringComparison.Ordinal);
}

/// <summary>A type the network is nested in, with {0} for its name; <see cref="Healthy"/> when the generator can reopen it.</summary>
internal sealed record ContainerShape(string Header, bool Healthy)
{
    public string Named(string name) => Header.Replace("{0}", name, StringComparison.Ordinal);
}

/// <summary>The declarations the fuzzer writes: mostly a plain partial class, sometimes one the generator must refuse.</summary>
internal static class DeclarationShapes
{
    /// <summary>Each refused for its own reason (CN0009, CN0011, CN0010, CN0022), or valid but not instantiable (abstract).</summary>
    private static readonly NetworkShape[] Unusual =
    {
        new("public class {0} { }", Usable: false),
        new("public sealed class {0} { }", Usable: false),
        new("public static partial class {0} { }", Usable: false),
        new("public partial class {0}<T> { }", Usable: false, "<T>"),
        new("internal partial class {0}<TIn, TOut> where TIn : struct { }", Usable: false, "<TIn, TOut>"),
        new("public partial record {0};", Usable: false, TypeParameters: null),
        new("public partial record class {0} { }", Usable: false, TypeParameters: null),
        new("public abstract partial class {0} { }", Usable: false),
    };

    private static readonly ContainerShape[] Containers =
    {
        new("public partial class {0}", Healthy: true),
        new("internal partial class {0}", Healthy: true),
        new("public static partial class {0}", Healthy: true),
        new("public partial struct {0}", Healthy: true),
        new("public partial record {0}", Healthy: true),
        new("public partial record struct {0}", Healthy: true),
        new("public partial interface {0}", Healthy: true),
        new("public class {0}", Healthy: false),
        new("public sealed class {0}", Healthy: false),
        new("public partial class {0}<T>", Healthy: false),
    };

    public static NetworkShape Network(Random random, bool nested)
    {
        if (random.Chance(0.2)) return random.Pick(Unusual);
        // Nested types are public or internal: a private one could not be used from the usage file.
        string access = random.Pick(nested ? new[] { "public ", "internal " } : new[] { "public ", "internal ", "" });
        string modifier = random.Chance(0.15) ? "sealed " : "";
        return new NetworkShape(access + modifier + "partial class {0} { }", Usable: true);
    }

    /// <summary>None most of the time, else one or two, outermost first.</summary>
    public static ContainerShape[] ContainersFor(Random random)
    {
        if (!random.Chance(0.12)) return Array.Empty<ContainerShape>();
        var containers = new ContainerShape[random.Chance(0.7) ? 1 : 2];
        for (int i = 0; i < containers.Length; i++) containers[i] = random.Pick(Containers);
        return containers;
    }
}
