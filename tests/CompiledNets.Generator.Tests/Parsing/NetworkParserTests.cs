using System.Linq;
using System.Threading;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Parsing;
using CompiledNets.Generator.Tests.Infrastructure;
using CompiledNets.Generator.Tests.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace CompiledNets.Generator.Tests.Parsing;

/// <summary>Parse stage: attributes as written become plain layer records, in source order, with the attributes' defaults.</summary>
public sealed class NetworkParserTests
{
    /// <summary>Also proves that the planner tests' hand-built <see cref="Specs"/> are what the parser produces.</summary>
    [Fact]
    public void MnistParsesToTheHandBuiltSpec()
    {
        NetworkSpec spec = Parse(NetworkSources.Mnist, "MnistNet");

        Assert.Equal("Samples", spec.Namespace);
        Assert.Equal("Samples.MnistNet", spec.FullName);
        Assert.Empty(spec.Problems);
        Assert.False(spec.HasUnboundAttributes);
        Assert.Equal(Specs.Mnist().Layers, spec.Layers);
    }

    [Fact]
    public void ArgumentsAndNamedArgumentsAreReadInSourceOrderAcrossAttributeLists()
    {
        NetworkSpec spec = Parse("""
            using CompiledNets;

            [CompiledNetwork, Input(8, 8, 2)]
            [Conv2D(4, 3, 2, Stride = 2, Activation = Activation.ReLU), MaxPool2D(2, Stride = 1)]
            [Flatten, Dropout(0.25)]
            [Dense(3, Activation = Activation.Softmax)]
            [Loss(LossFunction.MeanSquaredError)]
            public partial class Net { }
            """, "Net");

        Assert.Null(spec.Namespace);
        Assert.Collection(spec.Layers,
            l => Assert.Equal(new LayerSpec(LayerKind.Input, 0, Height: 8, Width: 8, Channels: 2), l),
            l => Assert.Equal(new LayerSpec(LayerKind.Conv2D, 1, Filters: 4, KernelHeight: 3, KernelWidth: 2, Stride: 2, Activation: Activation.ReLU), l),
            l => Assert.Equal(new LayerSpec(LayerKind.MaxPool2D, 2, PoolSize: 2, Stride: 1), l),
            l => Assert.Equal(new LayerSpec(LayerKind.Flatten, 3), l),
            l => Assert.Equal(new LayerSpec(LayerKind.Dropout, 4, Rate: 0.25), l),
            l => Assert.Equal(new LayerSpec(LayerKind.Dense, 5, Units: 3, Activation: Activation.Softmax), l),
            l => Assert.Equal(new LayerSpec(LayerKind.Loss, 6, LossFunction: LossFunction.MeanSquaredError), l));
    }

    [Fact]
    public void ContainingTypesAreRecordedOutermostFirst()
    {
        NetworkSpec spec = Parse("""
            using CompiledNets;

            namespace A.B;

            public partial class Outer
            {
                internal partial record struct Middle
                {
                    [CompiledNetwork][Input(4)][Dense(2)]
                    public partial class Net { }
                }
            }
            """, "Net");

        Assert.Equal(new[] { new ContainingType("class", "Outer"), new ContainingType("record struct", "Middle") }, spec.ContainingTypes);
        Assert.Equal("A.B.Outer.Middle.Net", spec.FullName);
        Assert.Empty(spec.Problems);
    }

    /// <summary>
    /// Only member names that may clash stay in the model: those of generated members become problems, those
    /// that look like a layer's are kept for the planner, and the rest are not kept (editing them changes nothing).
    /// </summary>
    [Fact]
    public void MemberNamesThatMayClashAreKeptAndNoOthers()
    {
        NetworkSpec spec = Parse("""
            using CompiledNets;

            [CompiledNetwork]
            [Input(784)]
            [Dense(10)]
            public partial class Net
            {
                private int Worker;
                public int Dense0Size => 1;
                private int Layer2 => 2;
                public int Accuracy { get; set; }
                public void Classify(float[] pixels) { }
                private class Helper { }
            }

            public partial class Net { private void Conv0Forward() { } }
            """, "Net");

        Assert.Equal(new[] { "Conv0Forward", "Dense0Size", "Layer2" }, spec.LayerLikeMemberNames);
        PlanDiagnostic problem = Assert.Single(spec.Problems);
        Assert.Equal(("CN0023", PlanDiagnostic.ClassLevel, false), (problem.Id, problem.AttributeIndex, problem.BlocksEmission));
        Assert.Equal(new[] { "Net", "declares 'Worker'", "rename it" }, problem.Arguments);
    }

    [Fact]
    public void AClashWithAPublicMemberBlocksEmission()
    {
        NetworkSpec spec = Parse("""
            using CompiledNets;

            [CompiledNetwork]
            [Input(784)]
            [Dense(10)]
            public partial class Net { public int OutputSize => 3; }
            """, "Net");

        Assert.True(Assert.Single(spec.Problems).BlocksEmission);
        Assert.False(spec.CanEmit);
    }

    private static NetworkSpec Parse(string source, string className)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { source });
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        var declaration = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First(c => c.Identifier.Text == className);
        var symbol = (INamedTypeSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration)!;
        return NetworkParser.Parse(symbol, declaration, CancellationToken.None);
    }
}
