using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// The generated class lives in the user's namespace and types, where the user's names come before any
/// <c>using</c>: a class named <c>Unsafe</c> beside the network, or a property named <c>Array</c> on it, would
/// capture a short name of the generated code. The generated file names every type from <c>global::</c>, so such
/// names change nothing: no compiler error or warning, no CN diagnostic, the full network.
/// </summary>
public sealed class UserTypeNamesTests
{
    /// <summary>Types and members a user may well write, named like what the generated code calls, beside a network with every kind of layer.</summary>
    [Fact]
    public void TypesAndMembersNamedLikeThoseTheGeneratedCodeUsesChangeNothing()
    {
        GeneratorRun run = GeneratorHarness.Run(new[]
        {
            """
            using CompiledNets;

            namespace Samples;

            public class Unsafe { }
            public class MemoryMarshal { }
            public class MemoryExtensions { }
            public class Vector128 { }
            public class Vector256 { }
            public class Vector512 { }
            public class Vector256<T> { }
            public class VectorMath { }
            public class Array { }
            public class Math { }
            public class Span { }
            public class Span<T> { }
            public class ReadOnlySpan<T> { }
            public class Environment { }
            public class ArgumentNullException { }
            public class ArgumentOutOfRangeException { }
            public class MethodImplAttribute { }
            public class MethodImplOptions { }
            public class GeneratedCodeAttribute { }
            public class TensorPrimitives { }
            public class Optimizer { }
            public class SeededRandom { }
            public class NetworkGuard { }
            public class WorkerPool { }
            public class ActivationKernels { }
            public class OutputKernels { }
            public class ParameterInitializer { }
            public interface ICompiledNetwork { }
            public interface IBatchTask { }
            public enum LossFunction { Mine }
            public class System { }
            public class CompiledNets { }

            [CompiledNetwork]
            [Input(12, 12, 3)]
            [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.LeakyReLU)]
            [MaxPool2D(2)]
            [AveragePool2D(2)]
            [Flatten]
            [Dense(256, Activation = Activation.ReLU)]
            [Dropout(0.25)]
            [Dense(40, Activation = Activation.Tanh)]
            [Dense(10, Activation = Activation.Softmax)]
            [Loss(global::CompiledNets.LossFunction.CategoricalCrossEntropy)]
            public partial class ShadowedNet
            {
                public int[] Array { get; } = new int[1];
                public double Math => 0;
                public string Unsafe = "";
                public static int Vector256 => 256;
                public sealed class Environment { }
                public sealed class MemoryMarshal { }
            }
            """,
            UsageElsewhere("global::Samples.ShadowedNet"),
        });

        AssertFullNetworkCompilesCleanly(run);
    }

    public static TheoryData<string, string> Networks() => new()
    {
        { NetworkSources.Mnist, "MnistNet" },
        { NetworkSources.DenseOnly, "DenseNet" },
        { NetworkSources.LeNet5, "LeNet5" },
        { NetworkSources.TutorialConvNet, "TutorialConvNet" },
        { NetworkSources.InferenceOnly, "InferenceNet" },
    };

    /// <summary>
    /// Every public type of every namespace the generated code takes a type from (System, System.Runtime.Intrinsics,
    /// CompiledNets, ...; see <see cref="EmittedTypeNames"/>), and a class named like each of those namespaces' roots,
    /// declared three times over: in the network's namespace, nested in the type that contains the network, and as
    /// a property of the network. A short name anywhere in the generated file meets one of them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void NoNameOfTheNamespacesTheGeneratedCodeUsesIsCaptured(string network, string name)
    {
        GeneratorRun run = GeneratorHarness.Run(new[] { AmongShadowingNames(network, name), UsageElsewhere($"global::Samples.Outer.{name}") });

        AssertFullNetworkCompilesCleanly(run);
    }

    /// <summary>
    /// A namespace of the user's named like the root of one the generated code uses: from inside
    /// <c>Acme.System</c>, a name that starts with <c>System.</c> means <c>Acme.System</c>.
    /// </summary>
    [Theory]
    [InlineData("Acme.System")]
    [InlineData("Acme.CompiledNets")]
    public void NamespacesNamedSystemOrCompiledNetsChangeNothing(string ns)
    {
        string network = NetworkSources.Mnist.Replace("namespace Samples;", $"namespace {ns};", StringComparison.Ordinal);

        GeneratorRun run = GeneratorHarness.Run(new[] { network, UsageElsewhere($"global::{ns}.MnistNet") });

        AssertFullNetworkCompilesCleanly(run);
    }

    /// <summary>The throwing members of an invalid network name their types the same way: the CN error stands alone.</summary>
    [Fact]
    public void InvalidNetworkStubsAreNotCapturedEither()
    {
        const string broken = """
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            [Input(28, 28, 1)]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class BrokenNet { }
            """;

        GeneratorRun run = GeneratorHarness.Run(new[] { AmongShadowingNames(broken, "BrokenNet"), UsageElsewhere("global::Samples.Outer.BrokenNet") });

        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        Assert.Equal(new[] { "CN0006" }, run.AnalyzerDiagnostics.Select(d => d.Id));
        Assert.Contains("NetworkGuard.InvalidNetwork(", Assert.Single(run.GeneratedFiles).Text, StringComparison.Ordinal);
    }

    private static void AssertFullNetworkCompilesCleanly(GeneratorRun run)
    {
        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        DiagnosticAssert.None(run.AnalyzerDiagnostics, "analyzer diagnostics");
        Assert.DoesNotContain("NetworkGuard.InvalidNetwork(", Assert.Single(run.GeneratedFiles).Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// <see cref="NetworkSources.UsesEveryMember"/> in a namespace of its own, through an alias: the network's
    /// namespace declares types of the names this code uses (Optimizer, Span).
    /// </summary>
    private static string UsageElsewhere(string fullName) =>
        $"using TheNetwork = {fullName};\n" + NetworkSources.UsesEveryMember("TheNetwork").Replace("namespace Samples;", "namespace Usage;", StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="source"/> (one of <see cref="NetworkSources"/>) with the network nested in <c>Samples.Outer</c>,
    /// and every name of <see cref="ShadowingNames"/> declared as a type in Samples, a type in Outer and a property
    /// of the network. The user's own attributes then name their types from global::, as they must among these.
    /// </summary>
    private static string AmongShadowingNames(string source, string name)
    {
        string declaration = $"public partial class {name} {{ }}";
        if (!source.Contains("namespace Samples;\n", StringComparison.Ordinal) || !source.TrimEnd().EndsWith(declaration, StringComparison.Ordinal))
            throw new InvalidOperationException($"The source of {name} no longer has the form this test rewrites: update {nameof(AmongShadowingNames)}.");
        string network = Regex.Replace(source, @"\[(\w+)", "[global::CompiledNets.$1");
        network = Regex.Replace(network, @"(?<![\w.:])(Activation|Padding|LossFunction)\.", "global::CompiledNets.$1.");

        var types = new StringBuilder();
        foreach (var (typeName, arity) in ShadowingNames.Value)
        {
            string parameters = arity == 0 ? "" : "<" + string.Join(", ", Enumerable.Range(0, arity).Select(i => "T" + i)) + ">";
            types.Append("public class ").Append(typeName).Append(parameters).Append(" { }\n");
        }
        var properties = new StringBuilder();
        foreach (string member in ShadowingNames.Value.Select(n => n.Name).Distinct(StringComparer.Ordinal).Where(n => !GeneratedMembers.IsFixed(n) && !ReservedForLayers(n) && n != name))
            properties.Append("    public int ").Append(member).Append(" => 0;\n");

        int at = network.LastIndexOf(declaration, StringComparison.Ordinal);
        return network.Substring(0, at).Replace("namespace Samples;\n", "namespace Samples;\n\n" + types + "\npublic partial class Outer\n{\n" + types, StringComparison.Ordinal)
            + $"public partial class {name}\n{{\n{properties}}}\n}}\n";
    }

    /// <summary>
    /// Names CN0023 rightly reports as members of a layer's: a layer's members begin with its name, so the property
    /// Conv2DAttribute clashes with the layer Conv2. (Layers are named Conv0, Pool1, Dense2, Flatten3, Dropout4, ...)
    /// </summary>
    private static bool ReservedForLayers(string name) =>
        GeneratedMembers.LooksLikeLayerMember(name)
        && new[] { "Conv", "Pool", "Dense", "Flatten", "Dropout" }.Any(layer => name.StartsWith(layer, StringComparison.Ordinal) && char.IsDigit(name[layer.Length]));

    /// <summary>
    /// Each public type (name and arity) of the namespaces <see cref="EmittedTypeNames.Namespaces"/> in the
    /// references a user compiles against, and the namespaces' roots (a class named System), in ordinal order.
    /// </summary>
    private static readonly Lazy<(string Name, int Arity)[]> ShadowingNames = new(() =>
    {
        Compilation compilation = GeneratorHarness.CreateCompilation(Array.Empty<string>());
        var names = new HashSet<(string Name, int Arity)>();
        foreach (string ns in EmittedTypeNames.Namespaces)
        {
            INamespaceSymbol symbol = ns.Split('.').Aggregate(compilation.GlobalNamespace, (parent, part) => parent.GetNamespaceMembers().Single(n => n.Name == part));
            foreach (INamedTypeSymbol type in symbol.GetTypeMembers().Where(t => t.DeclaredAccessibility == Accessibility.Public))
                names.Add((type.Name, type.Arity));
        }
        foreach (string root in EmittedTypeNames.RootNamespaces) names.Add((root, 0));
        return names.OrderBy(n => n.Name, StringComparer.Ordinal).ThenBy(n => n.Arity).ToArray();
    });
}
