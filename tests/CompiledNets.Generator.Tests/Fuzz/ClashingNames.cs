using System;
using System.Linq;
using CompiledNets.Generator.Tests.Infrastructure;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// Names a user may well give a network, a member of it or a type beside it that the generated code also uses.
/// The generated code must not care, or CN0023/CN0024 must say so: a user's class named Optimizer or Worker is no
/// reason for compiler errors in a file they did not write.
/// </summary>
internal static class ClashingNames
{
    /// <summary>
    /// Types the generated code names: every one of Emit's list (Unsafe, Vector256, Optimizer, Span, ...; see
    /// <see cref="EmittedTypeNames"/>), the attributes by their full names, and the roots of their namespaces (a
    /// class named System). The generated code names them all from global::, so a user type or member of one of
    /// these names is no clash at all: the case must compile as if it were named anything else.
    /// </summary>
    public static readonly string[] Types = EmittedTypeNames.Simple
        .Concat(new[] { "MethodImplAttribute", "GeneratedCodeAttribute" })
        .Concat(EmittedTypeNames.RootNamespaces)
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Those of <see cref="Types"/> that are generic too (Span&lt;T&gt;): a user's generic type of the name captures those uses.</summary>
    public static readonly string[] GenericTypes = { "Span", "ReadOnlySpan", "Vector128", "Vector256", "Vector512" };

    /// <summary>
    /// How a type beside the network, in its namespace, takes a name of <see cref="Types"/> ({0}); some with members
    /// named like those the generated code calls on it (Unsafe.Add, Vector256.Create).
    /// </summary>
    public static readonly string[] TypeDeclarations =
    {
        "public class {0} { }",
        "public interface {0} { }",
        "public static class {0} { public static int Add(int a, int b) => a + b; }",
        "public enum {0} { Add, Create }",
    };

    /// <summary>How a member of a type that contains the network takes a name of <see cref="Types"/> ({0}): static, as any container can hold it.</summary>
    public static readonly string[] ContainerMemberDeclarations = { "public static int {0} => 0;", "public sealed class {0} { }" };

    /// <summary>Members and nested types the generated class declares: a class may not contain a member of its own name.</summary>
    public static readonly string[] Members = { "Worker", "Predict", "Summary", "Parameters", "Forward", "InputSize", "Classify", "TrainStep" };

    /// <summary>
    /// Those of <see cref="Members"/> that the usage file calls (design.md's public members): a class of that name, or
    /// with a field of that name, cannot have the generated one, so nothing can use it as a network.
    /// </summary>
    public static readonly string[] Public = { "Predict", "Summary", "Parameters", "InputSize", "Classify", "TrainStep" };

    /// <summary>
    /// Names of members the generated class has for some layers: "Conv0Forward" clashes where the first layer is a
    /// convolution and is the user's own name elsewhere (never a public member).
    /// </summary>
    public static readonly string[] LayerMembers = { "Conv0Forward", "Pool1Output", "Dense1Units", "Dense2Forward", "Flatten1", "Conv1" };

    /// <summary>
    /// How a member of the user's takes the name ({0}). No methods: a method of a public member's name and other
    /// parameters is an overload, which is valid but makes the generated documentation's cref="Predict" ambiguous
    /// (CS0419), an Emit fix that is pending.
    /// </summary>
    public static readonly string[] MemberDeclarations = { "public int {0};", "public int {0} => 0;", "public sealed class {0} { }" };
}
