using System.Linq;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Generator.Tests.Diagnostics;

/// <summary>
/// Problems with the class that carries the network rather than with its layers: reported at the class name
/// (or at the misplaced attribute), with nothing generated where the class cannot take a partial declaration.
/// </summary>
public sealed class DeclarationDiagnosticsTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;

    [Fact]
    public void CN0009_NotPartial()
    {
        DiagnosticAssert.ReportsOnly(ClassDeclaration("public class [|Net|] { }"), "CN0009", Error,
            new[] { "Class 'Net' is marked [CompiledNetwork] but is not partial", "declare it 'partial class Net'" });
    }

    /// <summary>A nested network needs every containing type to be partial too (the generated code reopens them).</summary>
    [Fact]
    public void CN0021_ContainingTypeNotPartial()
    {
        DiagnosticAssert.ReportsOnly("""
            using CompiledNets;

            namespace Samples;

            public class Outer
            {
                [CompiledNetwork]
                [Input(784)]
                [Dense(10, Activation = Activation.Softmax)]
                public partial class [|Net|] { }
            }
            """, "CN0021", Error, new[] { "'Outer' contains the network 'Net' but is not partial", "'partial class Outer'" });
    }

    [Fact]
    public void CN0021_ContainingTypeGeneric()
    {
        DiagnosticAssert.ReportsOnly("""
            using CompiledNets;

            namespace Samples;

            public partial class Outer<T>
            {
                [CompiledNetwork]
                [Input(784)]
                [Dense(10, Activation = Activation.Softmax)]
                public partial class [|Net|] { }
            }
            """, "CN0021", Error, new[] { "'Outer' contains the network 'Net' but is generic" });
    }

    [Fact]
    public void CN0022_Record()
    {
        DiagnosticAssert.ReportsOnly(ClassDeclaration("public partial record [|Net|];"), "CN0022", Error,
            new[] { "'Net' is a record", "declare it 'partial class Net'" });
    }

    [Fact]
    public void CN0010_Generic()
    {
        DiagnosticAssert.ReportsOnly(ClassDeclaration("public partial class [|Net|]<T> { }"), "CN0010", Error,
            new[] { "Class 'Net' is generic", "cannot have type parameters" });
    }

    [Fact]
    public void CN0011_Static()
    {
        DiagnosticAssert.ReportsOnly(ClassDeclaration("public static partial class [|Net|] { }"), "CN0011", Error,
            new[] { "Class 'Net' is static", "remove 'static'" });
    }

    /// <summary>The network is still generated (from the marked declaration's layers), as throwing stubs.</summary>
    [Fact]
    public void CN0012_LayersOnAnotherPartialDeclaration()
    {
        DiagnosticAssert.ReportsOnly("""
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            [Input(784)]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class Net { }

            [[|Dense(5)|]]
            public partial class Net { }
            """, "CN0012", Error,
            new[] { "[Dense] is on another partial declaration of 'Net'", "move all layer attributes to the declaration that carries [CompiledNetwork]" },
            NetworkSources.UsesEveryMember("Net"));
    }

    [Fact]
    public void CN0013_LayerAttributesWithoutCompiledNetworkIsAWarning()
    {
        DiagnosticAssert.ReportsOnly("""
            using CompiledNets;

            namespace Samples;

            [Input(784)]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class [|Net|] { }
            """, "CN0013", DiagnosticSeverity.Warning,
            new[] { "Class 'Net' has CompiledNets layer attributes but no [CompiledNetwork]", "add [CompiledNetwork]" });
    }

    [Fact]
    public void NetworkInTheGlobalNamespaceAndNestedInPartialTypesIsValid()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using CompiledNets;

            public partial class Outer
            {
                internal partial struct Middle
                {
                    [CompiledNetwork]
                    [Input(784)]
                    [Dense(10, Activation = Activation.Softmax)]
                    [Loss(LossFunction.CategoricalCrossEntropy)]
                    public partial class Net { }
                }

                public static int Size => Middle.Net.InputSize + new Middle.Net().Classify(new float[Middle.Net.InputSize]);
            }
            """);

        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        DiagnosticAssert.None(run.AnalyzerDiagnostics, "analyzer diagnostics");
        Assert.Equal("Outer.Middle.Net.g.cs", Assert.Single(run.GeneratedFiles).HintName);
    }

    /// <summary>
    /// While an argument does not bind (the user is typing), the compiler's own error is the only one: the
    /// analyzer stays quiet instead of guessing at the network, and the generated members are the throwing
    /// stubs rather than a network with the unbound layer silently left out.
    /// </summary>
    [Theory]
    [InlineData("[Input(UnknownSize)]", "[Dense(10, Activation = Activation.Softmax)]")]
    [InlineData("[Input(784)][Dense(UnknownUnits, Activation = Activation.ReLU)]", "[Dense(10, Activation = Activation.Softmax)]")]
    public void UnboundArgumentLeavesOnlyTheCompilerError(string attributes, string lastLayer)
    {
        GeneratorRun run = GeneratorHarness.Run(new[]
        {
            $$"""
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            {{attributes}}
            {{lastLayer}}
            public partial class Net { }
            """,
            NetworkSources.UsesEveryMember("Net"),
        });

        Assert.Equal(new[] { "CS0103" }, run.CompilerDiagnostics.Select(d => d.Id));
        DiagnosticAssert.None(run.AnalyzerDiagnostics, "analyzer diagnostics");
        string generated = Assert.Single(run.GeneratedFiles).Text;
        Assert.Contains("public const int ParameterCount = 0;", generated);
        Assert.Contains("throw global::CompiledNets.NetworkGuard.InvalidNetwork(\"Net\")", generated);
    }

    private static string ClassDeclaration(string declaration) => $$"""
        using CompiledNets;

        namespace Samples;

        [CompiledNetwork]
        [Input(784)]
        [Dense(10, Activation = Activation.Softmax)]
        {{declaration}}
        """;
}
