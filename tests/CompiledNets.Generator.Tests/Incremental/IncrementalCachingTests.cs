using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using CompiledNets.Generator.Emit;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompiledNets.Generator.Tests.Incremental;

/// <summary>
/// The generator runs on every keystroke in the IDE: a run on an unchanged or unrelatedly changed compilation
/// must reuse every cached step, an edit to one network must redo that network only, and nothing a step
/// caches may hold on to Roslyn's symbols, syntax or compilations (EnumGenerators' TestHelpers, at home).
/// </summary>
public sealed class IncrementalCachingTests
{
    /// <summary>Every step name in <see cref="TrackingNames"/>, read by reflection so a new step is covered automatically.</summary>
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static readonly IncrementalStepRunReason[] Reused = { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged };

    [Fact]
    public void EveryTrackingNameIsAStepOfThePipeline()
    {
        GeneratorRunResult run = RunOnce(TwoNetworks()).Result;

        Assert.Equal(new[] { TrackingNames.Spec, TrackingNames.Plan, TrackingNames.Source }, StepNames);
        foreach (string name in StepNames)
            Assert.True(run.TrackedSteps.ContainsKey(name), $"No step is tracked as '{name}': a caching test on it would pass vacuously.");
    }

    [Fact]
    public void RerunOnAClonedCompilationReusesEveryStep()
    {
        CSharpCompilation compilation = TwoNetworks();
        GeneratorDriver driver = RunOnce(compilation).Driver;

        GeneratorDriver rerun = driver.RunGenerators(compilation.Clone());

        AssertEveryStepReused(driver.GetRunResult().Results.Single(), rerun.GetRunResult().Results.Single());
    }

    [Fact]
    public void AddingAnUnrelatedFileReusesEveryStep()
    {
        CSharpCompilation compilation = TwoNetworks();
        GeneratorDriver driver = RunOnce(compilation).Driver;
        var unrelated = CSharpSyntaxTree.ParseText("namespace Other; public static class Unrelated { public static int Answer => 42; }",
            GeneratorHarness.ParseOptions(), path: "Unrelated.cs");

        GeneratorDriver rerun = driver.RunGenerators(compilation.AddSyntaxTrees(unrelated));

        AssertEveryStepReused(driver.GetRunResult().Results.Single(), rerun.GetRunResult().Results.Single());
    }

    [Fact]
    public void EditingOneNetworkRedoesOnlyThatNetwork()
    {
        CSharpCompilation compilation = TwoNetworks();
        GeneratorRun first = RunOnce(compilation);
        SyntaxTree denseTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class DenseNet", StringComparison.Ordinal));
        SyntaxTree edited = denseTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            denseTree.ToString().Replace("[Dense(128,", "[Dense(64,", StringComparison.Ordinal)));

        GeneratorDriver rerun = first.Driver.RunGenerators(compilation.ReplaceSyntaxTree(denseTree, edited));
        GeneratorRunResult result = rerun.GetRunResult().Results.Single();

        foreach (string name in StepNames)
        {
            var outputs = result.TrackedSteps[name].SelectMany(step => step.Outputs).ToArray();
            Assert.Equal(new[] { IncrementalStepRunReason.Modified }, outputs.Where(o => NetworkOf(o.Value) == "DenseNet").Select(o => o.Reason));
            Assert.All(outputs.Where(o => NetworkOf(o.Value) == "MnistNet"), o => Assert.Contains(o.Reason, Reused));
        }
        var before = first.Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var after = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(before["Samples.MnistNet.g.cs"], after["Samples.MnistNet.g.cs"]);
        Assert.NotEqual(before["Samples.DenseNet.g.cs"], after["Samples.DenseNet.g.cs"]);
        Assert.Contains("public const int ParameterCount = 50890;", after["Samples.DenseNet.g.cs"]); // 784*64 + 64 + 64*10 + 10
    }

    /// <summary>
    /// The user's own members are part of the model only where their names may clash with generated ones: adding
    /// a method to the network class, the everyday edit, must not emit the network again.
    /// </summary>
    [Fact]
    public void AddingAMemberToTheNetworkClassReusesEveryStep()
    {
        CSharpCompilation compilation = TwoNetworks();
        GeneratorDriver driver = RunOnce(compilation).Driver;
        SyntaxTree mnistTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class MnistNet", StringComparison.Ordinal));
        SyntaxTree edited = mnistTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(mnistTree.ToString().Replace(
            "public partial class MnistNet { }", "public partial class MnistNet { public int Accuracy(float[] images) => images.Length; }", StringComparison.Ordinal)));
        Assert.NotEqual(mnistTree.ToString(), edited.ToString());

        GeneratorDriver rerun = driver.RunGenerators(compilation.ReplaceSyntaxTree(mnistTree, edited));

        AssertEveryStepReused(driver.GetRunResult().Results.Single(), rerun.GetRunResult().Results.Single());
    }

    /// <summary>
    /// A clashing member added in another file, to another partial declaration of the class, is seen on the next run
    /// (the spec is read from the symbol, not from the one declaration): the network turns into its stubs.
    /// </summary>
    [Fact]
    public void AClashInAnotherFileIsSeenOnTheNextRun()
    {
        CSharpCompilation compilation = TwoNetworks();
        GeneratorDriver driver = RunOnce(compilation).Driver;
        var part = CSharpSyntaxTree.ParseText("namespace Samples; public partial class MnistNet { public int Worker; }",
            GeneratorHarness.ParseOptions(), path: "MnistNet.Part.cs");

        GeneratorRunResult result = driver.RunGenerators(compilation.AddSyntaxTrees(part)).GetRunResult().Results.Single();

        var spec = result.TrackedSteps[TrackingNames.Spec].SelectMany(step => step.Outputs).Single(o => NetworkOf(o.Value) == "MnistNet");
        Assert.Equal(IncrementalStepRunReason.Modified, spec.Reason);
        Assert.Contains("NetworkGuard.InvalidNetwork(\"MnistNet\")", result.GeneratedSources.Single(s => s.HintName == "Samples.MnistNet.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    /// <summary>An invalid network's spec and plan (with their diagnostics) are cached step outputs too.</summary>
    [Fact]
    public void NoStepOutputHoldsRoslynObjects()
    {
        const string invalid = """
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            [Input(28, 28, 1)]
            [Dense(10)]
            public partial class Broken { }
            """;
        GeneratorRunResult result = RunOnce(TwoNetworks(invalid)).Result;

        int outputs = 0;
        foreach (string name in StepNames)
        {
            foreach (var (value, _) in result.TrackedSteps[name].SelectMany(step => step.Outputs))
            {
                outputs++;
                Assert.Empty(RoslynObjectFinder.Find(value));
            }
        }
        Assert.Equal(3 + 3 + 3, outputs); // three networks through Spec, Plan and Source (the invalid one as stubs)
    }

    /// <summary>The finder itself: it must see through private fields, collections and boxed structs.</summary>
    [Fact]
    public void RoslynObjectFinderSeesThroughCollectionsAndPrivateFields()
    {
        CSharpCompilation compilation = TwoNetworks();
        var hidden = Tuple.Create("network", new List<object> { 1, ImmutableArray.Create<object>(Location.None) }, new Dictionary<string, object> { ["c"] = compilation });

        IReadOnlyList<string> found = RoslynObjectFinder.Find(hidden);

        Assert.Equal(2, found.Count);
        Assert.Contains(found, path => path.EndsWith("(NoLocation)", StringComparison.Ordinal));
        Assert.Contains(found, path => path.EndsWith("(CSharpCompilation)", StringComparison.Ordinal));
        Assert.Empty(RoslynObjectFinder.Find(NetworkPlanner.Plan(Planning.Specs.Mnist())));
    }

    private static void AssertEveryStepReused(GeneratorRunResult first, GeneratorRunResult second)
    {
        foreach (string name in StepNames)
        {
            var before = first.TrackedSteps[name].SelectMany(step => step.Outputs).ToArray();
            var after = second.TrackedSteps[name].SelectMany(step => step.Outputs).ToArray();
            Assert.NotEmpty(after);
            Assert.Equal(before.Select(o => o.Value), after.Select(o => o.Value));
            Assert.All(after, o => Assert.True(Reused.Contains(o.Reason), $"Step '{name}' output for {NetworkOf(o.Value)} was {o.Reason}, not reused."));
        }
        Assert.All(second.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    /// <summary>The network a step output belongs to, whatever the step.</summary>
    private static string NetworkOf(object value) => value switch
    {
        NetworkSpec spec => spec.ClassName,
        NetworkPlan plan => plan.ClassName,
        GeneratedSource source => source.HintName.Split('.')[^3],
        _ => throw new InvalidOperationException($"Unexpected step output {value.GetType().Name}."),
    };

    private static CSharpCompilation TwoNetworks(params string[] more) =>
        GeneratorHarness.CreateCompilation(new[] { NetworkSources.Mnist, NetworkSources.DenseOnly }.Concat(more));

    private static GeneratorRun RunOnce(CSharpCompilation compilation) =>
        GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
}
