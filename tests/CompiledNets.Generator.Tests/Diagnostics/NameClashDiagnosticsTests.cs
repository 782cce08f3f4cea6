using System.Linq;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Generator.Tests.Diagnostics;

/// <summary>
/// A user's class or member with a name the generated class declares too: one CN diagnostic at the class name,
/// never a compiler error in the generated file. Where the throwing stubs of an invalid network do not declare
/// the name (a private member, a layer's member) they are generated, so code using the network still compiles;
/// where they do (design.md's public members), nothing is generated until the clash is gone.
/// </summary>
public sealed class NameClashDiagnosticsTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;

    [Theory]
    [InlineData("private sealed class Worker { }", "Worker")]
    [InlineData("public float[] _parameters = new float[1];", "_parameters")]
    [InlineData("private void Forward() { }", "Forward")]
    [InlineData("public static int SliceStart(int worker, int workers) => worker;", "SliceStart")]
    [InlineData("private enum BatchKind { A }", "BatchKind")]
    public void CN0023_PrivateGeneratedNameGetsStubs(string member, string name)
    {
        DiagnosticAssert.ReportsOnly(Network("Net", member), "CN0023", Error,
            new[] { $"'Net' declares '{name}', which the generated network defines too; rename it" },
            NetworkSources.UsesEveryMember("Net"));
        Assert.Contains("NetworkGuard.InvalidNetwork(", GeneratedText(Network("Net", member)));
    }

    [Theory]
    [InlineData("public string Summary => \"mine\";", "Summary")]
    [InlineData("public int InputSize;", "InputSize")]
    [InlineData("public int Classify(System.ReadOnlySpan<float> pixels) => 0;", "Classify")]
    [InlineData("public class Parameters { }", "Parameters")]
    [InlineData("public void Predict(System.ReadOnlySpan<float> input, System.Span<float> output) { }", "Predict")]
    public void CN0023_PublicGeneratedNameGeneratesNothing(string member, string name)
    {
        DiagnosticAssert.ReportsOnly(Network("Net", member), "CN0023", Error,
            new[] { $"'Net' declares '{name}', which the generated network defines too; rename it" });
        Assert.Empty(GeneratorHarness.Run(Plain(Network("Net", member))).GeneratedFiles);
    }

    /// <summary>Convenience overloads of the generated methods are the user's right (and generic ones too).</summary>
    [Fact]
    public void OverloadsOfGeneratedMethodsAreValid()
    {
        AssertValid(Network("Net", """
            public int Classify(float[] pixels) => Classify(pixels.AsSpan());
            public void PredictBatch(float[] inputs, float[] outputs) => PredictBatch(inputs.AsSpan(), outputs.AsSpan());
            public void InitializeParameters(long seed) => InitializeParameters((int)seed);
            public T Classify<T>(System.ReadOnlySpan<float> input) => default!;
            public Net(string name) : this() => Name = name;
            public string Name { get; } = "";
            """, usings: "using System;"), NetworkSources.UsesEveryMember("Net"));
    }

    /// <summary>
    /// A user's overload of Predict or ComputeGradients would make a cref by name alone (<c>cref="Predict"</c>)
    /// ambiguous: CS0419 in the generated file where documentation files are built. The generated documentation
    /// writes their parameter lists (<c>cref="Predict(ReadOnlySpan{float}, Span{float})"</c>).
    /// </summary>
    [Fact]
    public void OverloadsOfMethodsTheGeneratedDocumentationRefersToAreValid()
    {
        AssertValid(Network("Net", """
            public void Predict(float[] input, float[] output) => Predict(input.AsSpan(), output.AsSpan());
            public float ComputeGradients(float[] inputs, int[] labels) => ComputeGradients(inputs.AsSpan(), labels.AsSpan());
            """, usings: "using System;"), NetworkSources.UsesEveryMember("Net"));
    }

    [Theory]
    [InlineData("public Net() { }", "declares the constructor 'Net()'")]
    [InlineData("public Net(int size) { }", "declares the constructor 'Net(int)'")]
    public void CN0023_GeneratedConstructor(string constructor, string fragment)
    {
        DiagnosticAssert.ReportsOnly(Network("Net", constructor), "CN0023", Error,
            new[] { $"'Net' {fragment}, which the generated network defines too", "remove it" });
    }

    /// <summary>
    /// The stubs implement ICompiledNetwork.Name too, so nothing is generated, and the class's other interface members
    /// are missing (CS0535 in the user's file, not in a generated one). Rare enough to live with: see docs/diagnostics.md.
    /// </summary>
    [Fact]
    public void CN0023_ExplicitImplementationOfAGeneratedOne()
    {
        GeneratorRun run = GeneratorHarness.Run(Plain(Network("Net", "string ICompiledNetwork.Name => \"mine\";", baseList: " : ICompiledNetwork")));

        Diagnostic diagnostic = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal("CN0023", diagnostic.Id);
        Assert.Contains("'Net' declares 'ICompiledNetwork.Name', which the generated network defines too; remove it: the generated class implements ICompiledNetwork",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Empty(run.GeneratedFiles);
        Assert.All(run.CompilerDiagnostics, d => Assert.Equal(("CS0535", "Source0.cs"), (d.Id, d.Location.SourceTree?.FilePath)));
    }

    /// <summary>Members of every partial declaration count, not only those of the one carrying the attributes.</summary>
    [Fact]
    public void CN0023_OnAnotherPartialDeclaration()
    {
        DiagnosticAssert.ReportsOnly(Network("Net", "") + "\npublic partial class Net { private int Backward => 0; }\n", "CN0023", Error,
            new[] { "'Net' declares 'Backward'" }, NetworkSources.UsesEveryMember("Net"));
    }

    /// <summary>A generated member would hide the base class's (CS0108, an error where warnings are).</summary>
    [Fact]
    public void CN0023_InheritedMember()
    {
        DiagnosticAssert.ReportsOnly(Network("Net", "", baseList: " : ModelBase") + "\npublic abstract class ModelBase { protected int _workers; }\n", "CN0023", Error,
            new[] { "'Net' inherits '_workers' from 'ModelBase', which the generated network defines too", "rename it in 'ModelBase'" },
            NetworkSources.UsesEveryMember("Net"));
    }

    [Fact]
    public void InheritedOverloadsAndPrivateMembersAreValid()
    {
        AssertValid(Network("Net", "", baseList: " : ModelBase") + """

            public abstract class ModelBase
            {
                private int _workers = 1;
                public int Classify(float[] pixels) => _workers;
                protected void Forward(string message) { }
            }
            """, NetworkSources.UsesEveryMember("Net"));
    }

    /// <summary>Names beginning with a layer's name ("Conv0", "Pool1", "Dense3" in the seed network) belong to the layer.</summary>
    [Fact]
    public void CN0023_LayerMember()
    {
        DiagnosticAssert.ReportsOnly(Mnist("MnistNet", "private static void Conv0Forward() { }"), "CN0023", Error,
            new[] { "'MnistNet' declares 'Conv0Forward', which the generated network defines too", "a layer's name ('Conv0')" },
            NetworkSources.UsesEveryMember("MnistNet"));
    }

    /// <summary>The seed network has no layer Dense1, Conv01 or Flatten22: these names are the user's.</summary>
    [Fact]
    public void NamesOfLayersTheNetworkDoesNotHaveAreValid()
    {
        AssertValid(Mnist("MnistNet", "public int Dense1Units => 1; public int Conv01 => 2; public int Pool => 3; public int Flatten22 => 4;"),
            NetworkSources.UsesEveryMember("MnistNet"));
    }

    [Theory]
    [InlineData("Worker")]
    [InlineData("Forward")]
    [InlineData("BatchKind")]
    public void CN0024_ClassNamedLikeAPrivateMemberGetsStubs(string name)
    {
        DiagnosticAssert.ReportsOnly(Network($"[|{name}|]", "", markName: false), "CN0024", Error,
            new[] { $"The network class '{name}' has the name of a member the generated network declares", "rename the class" },
            NetworkSources.UsesEveryMember(name));
    }

    [Theory]
    [InlineData("Predict")]
    [InlineData("Summary")]
    [InlineData("InputSize")]
    public void CN0024_ClassNamedLikeAPublicMemberGeneratesNothing(string name)
    {
        DiagnosticAssert.ReportsOnly(Network($"[|{name}|]", "", markName: false), "CN0024", Error,
            new[] { $"The network class '{name}' has the name of a member the generated network declares" });
        Assert.Empty(GeneratorHarness.Run(Network(name, "", markName: false)).GeneratedFiles);
    }

    [Fact]
    public void CN0024_ClassNamedLikeALayerMember()
    {
        DiagnosticAssert.ReportsOnly(Mnist("[|Pool1Forward|]", "", markName: false), "CN0024", Error,
            new[] { "The network class 'Pool1Forward' has the name of a member the generated network declares" },
            NetworkSources.UsesEveryMember("Pool1Forward"));
    }

    [Fact]
    public void CN0025_FileLocalNetwork()
    {
        DiagnosticAssert.ReportsOnly("""
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            [Input(784)]
            [Dense(10, Activation = Activation.Softmax)]
            file partial class [|Net|] { }
            """, "CN0025", Error,
            new[] { "'Net' is a file-local type: the generated part of 'Net', in a file of its own, would declare another type instead of completing it", "remove 'file'" });
    }

    [Fact]
    public void CN0025_FileLocalContainer()
    {
        DiagnosticAssert.ReportsOnly("""
            using CompiledNets;

            namespace Samples;

            file partial class Models
            {
                [CompiledNetwork]
                [Input(784)]
                [Dense(10, Activation = Activation.Softmax)]
                public partial class [|Net|] { }
            }
            """, "CN0025", Error,
            new[] { "'Models' is a file-local type: the generated part of 'Net'" });
    }

    /// <summary>
    /// Two file-local networks of one name are two types, but their generated files would have one hint name: without
    /// CN0025 the generator would throw (and the user's build would silently lose both).
    /// </summary>
    [Fact]
    public void CN0025_TwoFileLocalNetworksOfOneName()
    {
        const string network = """
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            [Input(784)]
            [Dense(10, Activation = Activation.Softmax)]
            file partial class Net { }
            """;
        GeneratorRun run = GeneratorHarness.Run(new[] { network, network });

        Assert.Equal(new[] { "CN0025", "CN0025" }, run.AnalyzerDiagnostics.Select(d => d.Id));
        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        Assert.Empty(run.GeneratedFiles);
    }

    /// <summary>The analyzer also sees the generated declaration of a valid network: its members are not the user's.</summary>
    [Fact]
    public void AValidNetworkDoesNotClashWithItsOwnGeneratedMembers()
    {
        AssertValid(NetworkSources.Mnist, NetworkSources.UsesEveryMember("MnistNet"));
        AssertValid(NetworkSources.DenseOnly, NetworkSources.UsesEveryMember("DenseNet"));
    }

    private static void AssertValid(params string[] sources)
    {
        GeneratorRun run = GeneratorHarness.Run(sources.Select(Plain));
        DiagnosticAssert.None(run.AnalyzerDiagnostics, "analyzer diagnostics");
        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        Assert.DoesNotContain("NetworkGuard.InvalidNetwork(", Assert.Single(run.GeneratedFiles).Text);
    }

    private static string GeneratedText(string markup) =>
        Assert.Single(GeneratorHarness.Run(Plain(markup)).GeneratedFiles).Text;

    /// <summary>The source without its [| |] mark.</summary>
    private static string Plain(string markup) => markup.Replace("[|", "", System.StringComparison.Ordinal).Replace("|]", "", System.StringComparison.Ordinal);

    /// <summary>A small valid network named <paramref name="name"/> (marked as the diagnostic's place unless told otherwise) with <paramref name="members"/>.</summary>
    private static string Network(string name, string members, string baseList = "", bool markName = true, string usings = "") => $$"""
        using CompiledNets;
        {{usings}}

        namespace Samples;

        [CompiledNetwork]
        [Input(784)]
        [Dense(10, Activation = Activation.Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class {{(markName ? "[|" + name + "|]" : name)}}{{baseList}}
        {
            {{members}}
        }
        """;

    /// <summary>The seed network (layers Conv0, Pool1, Flatten2, Dense3) named <paramref name="name"/>.</summary>
    private static string Mnist(string name, string members, bool markName = true) =>
        NetworkSources.Mnist
            .Replace("public partial class MnistNet { }", $$"""public partial class {{(markName ? "[|" + name + "|]" : name)}} { {{members}} }""", System.StringComparison.Ordinal);
}
