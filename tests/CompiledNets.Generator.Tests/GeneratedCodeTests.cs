using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// The generated code: for a valid network it compiles without a single error or warning and the analyzer has
/// nothing to say; its text is exactly the reviewed snapshot in Snapshots/ (read them when they change).
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public void MnistConvNet()
    {
        GeneratorRun run = GeneratorHarness.Run(NetworkSources.Mnist);

        AssertCompilesCleanly(run);
        Assert.Equal(new[] { "Samples.MnistNet.g.cs" }, run.GeneratedFiles.Select(f => f.HintName));
        SnapshotAssert.Matches(run.GeneratedFiles);
    }

    [Fact]
    public void DenseOnlyNetwork()
    {
        GeneratorRun run = GeneratorHarness.Run(NetworkSources.DenseOnly);

        AssertCompilesCleanly(run);
        Assert.Equal(new[] { "Samples.DenseNet.g.cs" }, run.GeneratedFiles.Select(f => f.HintName));
        SnapshotAssert.Matches(run.GeneratedFiles);
    }

    [Fact]
    public void LeNet5()
    {
        GeneratorRun run = GeneratorHarness.Run(NetworkSources.LeNet5);

        AssertCompilesCleanly(run);
        Assert.Equal(new[] { "Samples.LeNet5.g.cs" }, run.GeneratedFiles.Select(f => f.HintName));
        SnapshotAssert.Matches(run.GeneratedFiles);
    }

    [Fact]
    public void TutorialConvNet()
    {
        GeneratorRun run = GeneratorHarness.Run(NetworkSources.TutorialConvNet);

        AssertCompilesCleanly(run);
        Assert.Equal(new[] { "Samples.TutorialConvNet.g.cs" }, run.GeneratedFiles.Select(f => f.HintName));
        SnapshotAssert.Matches(run.GeneratedFiles);
    }

    /// <summary>An invalid network gets the same public surface, every member throwing, so the CN error stands alone.</summary>
    [Fact]
    public void InvalidNetworkGetsThrowingMembers()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            [Input(28, 28, 1)]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class BrokenNet { }
            """);

        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        Assert.Equal(new[] { "CN0006" }, run.AnalyzerDiagnostics.Select(d => d.Id));
        SnapshotAssert.Matches(run.GeneratedFiles);
    }

    /// <summary>A .NET 8 user compiles with C# 12: the generated code must not need anything newer.</summary>
    [Fact]
    public void MnistConvNetCompilesAsCSharp12()
    {
        GeneratorRun latest = GeneratorHarness.Run(NetworkSources.Mnist);
        GeneratorRun csharp12 = GeneratorHarness.Run(NetworkSources.Mnist, LanguageVersion.CSharp12);

        AssertCompilesCleanly(csharp12);
        GeneratedFile expected = Assert.Single(latest.GeneratedFiles), actual = Assert.Single(csharp12.GeneratedFiles);
        Assert.Equal(expected.HintName, actual.HintName);
        Assert.True(expected.Text == actual.Text, SnapshotAssert.FirstDifference(expected.Text, actual.Text, "C# latest", "C# 12"));
    }

    /// <summary>
    /// The generator runs inside the user's compiler, under the user's culture: the same network must give
    /// the same file on every machine (deterministic builds), and numbers in code must stay C# literals.
    /// </summary>
    [Fact]
    public void GeneratedCodeDoesNotDependOnTheCulture()
    {
        GeneratorRun invariant = GeneratorHarness.Run(NetworkSources.Mnist);
        GeneratorRun localized;
        CultureInfo original = CultureInfo.CurrentCulture;
        try
        {
            // Built from the invariant culture because this test host runs in globalization-invariant mode.
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NumberGroupSeparator = ".";
            culture.NumberFormat.NumberDecimalSeparator = ",";
            culture.NumberFormat.NegativeSign = "\u2212";
            CultureInfo.CurrentCulture = culture;
            localized = GeneratorHarness.Run(NetworkSources.Mnist);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        GeneratedFile expected = Assert.Single(invariant.GeneratedFiles), actual = Assert.Single(localized.GeneratedFiles);
        Assert.True(expected.Text == actual.Text, SnapshotAssert.FirstDifference(expected.Text, actual.Text, "invariant", "localized"));
    }

    /// <summary>Every member of design.md's "Generated members" table exists with the promised types.</summary>
    [Theory]
    [InlineData(NetworkSources.Mnist, "MnistNet")]
    [InlineData(NetworkSources.DenseOnly, "DenseNet")]
    [InlineData(NetworkSources.InferenceOnly, "InferenceNet")]
    public void GeneratedMembersMatchTheDesignContract(string network, string className)
    {
        GeneratorRun run = GeneratorHarness.Run(new[] { network, NetworkSources.UsesEveryMember(className) });

        AssertCompilesCleanly(run);
    }

    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        DiagnosticAssert.None(run.AnalyzerDiagnostics, "analyzer diagnostics");
    }
}
