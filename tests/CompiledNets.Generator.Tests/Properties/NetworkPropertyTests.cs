extern alias Runtime;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using CompiledNets.Generator.Tests.Fuzz;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Generator.Tests.Properties;

/// <summary>
/// The generated code's promise, tried on random valid networks (<see cref="RandomNetworks"/>): the analyzer accepts
/// them, they compile without a warning, their gradients are the derivatives of their loss (central finite
/// differences, <see cref="CentralDifference"/>) and PredictBatch is Predict, bit for bit, on any number of workers
/// (<see cref="NetworkChecks"/>). 40 networks by default; <c>COMPILEDNETS_PROPERTY_COUNT</c> and
/// <c>COMPILEDNETS_PROPERTY_SEED</c> run more, or replay one, as the fuzz test's variables do (<see cref="FuzzSettings"/>):
/// <code>
/// COMPILEDNETS_PROPERTY_COUNT=1000 dotnet test tests/CompiledNets.Generator.Tests -c Release --filter "FullyQualifiedName~Propert"
/// </code>
/// <c>COMPILEDNETS_PROPERTY_FEATURES=all</c> draws from every layer option of design.md, supported here or not.
/// Every failure names its seed and prints its declaration. The counts of a passing run go to the test output.
/// </summary>
public sealed class NetworkPropertyTests
{
    public const string CountVariable = "COMPILEDNETS_PROPERTY_COUNT";
    public const string SeedVariable = "COMPILEDNETS_PROPERTY_SEED";
    public const string FeaturesVariable = "COMPILEDNETS_PROPERTY_FEATURES";

    /// <summary>
    /// About 45 s of CPU, nine tenths of it Roslyn compiling the ~80,000 generated lines (the checks take 4 s); 40 to 55 s
    /// on the 2-core development VM while other builds ran, less where Roslyn is already warm from the other tests.
    /// </summary>
    public const int DefaultCount = 40;

    public const int DefaultFirstSeed = 1;

    /// <summary>Networks per compilation: compiling is what costs, so many share one.</summary>
    private const int BatchSize = 20;

    /// <summary>More kinks than this (of all points, or of one network's) and the test has not tested much: it fails.</summary>
    private const double MaxKinkShare = 0.2, MaxKinkShareOfOneNetwork = 0.5;

    private readonly ITestOutputHelper _output;

    public NetworkPropertyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void RandomNetworksHaveTheirLossGradientsAndPredictBatchIsPredict()
    {
        FuzzSettings settings = FuzzSettings.FromEnvironment(CountVariable, DefaultCount, SeedVariable, DefaultFirstSeed);
        NetworkFeatures features = FeaturesFromEnvironment();
        var stopwatch = Stopwatch.StartNew();
        var reports = new List<NetworkReport>();
        var timings = new Timings();
        for (int first = 0; first < settings.Count; first += BatchSize)
        {
            var networks = Enumerable.Range(first, Math.Min(BatchSize, settings.Count - first))
                .Select(n => RandomNetworks.Create(settings.FirstSeed + n, features))
                .ToList();
            reports.AddRange(RunBatch(networks, timings));
        }
        stopwatch.Stop();

        string summary = Summary(reports, features, stopwatch.Elapsed, timings);
        _output.WriteLine(summary);
        var failed = reports.Where(r => r.Problems.Count > 0).ToList();
        Assert.True(failed.Count == 0, Failures(failed) + "\n" + summary);

        int points = reports.Sum(r => r.Points.Count), kinks = reports.Sum(r => r.Kinks);
        Assert.True(kinks <= MaxKinkShare * points, $"{kinks} of {points} points sat on kinks: the gradients were hardly checked.\n{summary}");
        var kinky = reports.Where(r => r.Points.Count >= 6 && r.Kinks > MaxKinkShareOfOneNetwork * r.Points.Count).ToList();
        Assert.True(kinky.Count == 0, "Networks whose loss looked rough at most points (a loss that jumps where it should not?):\n" +
            string.Join("\n", kinky.Select(r => $"{Describe(r.Network)}: {r.Kinks} of {r.Points.Count} points\n{r.Network.Source}")) + "\n" + summary);
    }

    /// <summary>
    /// Compiles the networks together, checks that neither the analyzer (on the declarations, where its diagnostics
    /// come from) nor the compiler (on declarations and generated code) has anything to say, and runs each network's checks.
    /// </summary>
    private static IEnumerable<NetworkReport> RunBatch(IReadOnlyList<RandomNetwork> networks, Timings timings)
    {
        var stopwatch = Stopwatch.StartNew();
        CSharpCompilation declarations = GeneratorHarness.CreateCompilation(networks.Select(n => n.Source));
        var diagnostics = GeneratorHarness.RunAnalyzer(declarations).ToList();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(declarations, out Compilation output, out var generatorDiagnostics);
        Exception? crash = driver.GetRunResult().Results.Single().Exception;
        if (crash is not null) throw new InvalidOperationException("The generator threw (the user would see CS8785 and lose the class).", crash);
        diagnostics.AddRange(generatorDiagnostics);
        LoadedNetworks? loaded = LoadedNetworks.Emit(output, out var compilerDiagnostics);
        diagnostics.AddRange(compilerDiagnostics);
        timings.Compiling += stopwatch.Elapsed;

        if (diagnostics.Count > 0)
        {
            loaded?.Dispose();
            // Pin each diagnostic on its network (by file: SourceN.cs, or a generated file named after the class),
            // report those networks, and run the rest in a compilation without them.
            var blamed = new Dictionary<RandomNetwork, List<Diagnostic>>();
            foreach (Diagnostic diagnostic in diagnostics)
            {
                var owners = Owners(networks, diagnostic);
                foreach (RandomNetwork owner in owners.Count > 0 ? owners : networks)
                {
                    if (!blamed.TryGetValue(owner, out var list)) blamed[owner] = list = new List<Diagnostic>();
                    list.Add(diagnostic);
                }
            }
            var results = blamed.Select(pair =>
            {
                var report = new NetworkReport(pair.Key);
                report.Problems.AddRange(pair.Value.Take(5).Select(d => "diagnostic on a valid network: " + d));
                return report;
            }).ToList();
            var clean = networks.Where(n => !blamed.ContainsKey(n)).ToList();
            if (clean.Count > 0) results.AddRange(RunBatch(clean, timings));
            return results;
        }

        stopwatch.Restart();
        using (loaded)
        {
            var reports = networks.Select(network =>
            {
                try
                {
                    return NetworkChecks.Run(network, loaded!.Create(network.FullName, network.Seed));
                }
                catch (Exception exception)
                {
                    var report = new NetworkReport(network);
                    report.Problems.Add("exception: " + exception);
                    return report;
                }
            }).ToList();
            timings.Checking += stopwatch.Elapsed;
            return reports;
        }
    }

    private sealed class Timings
    {
        public TimeSpan Compiling, Checking;
    }

    private static List<RandomNetwork> Owners(IReadOnlyList<RandomNetwork> networks, Diagnostic diagnostic)
    {
        string path = diagnostic.Location.SourceTree?.FilePath ?? "";
        return networks.Where((n, i) => path == $"Source{i}.cs" || path.Contains(n.Namespace + ".", StringComparison.Ordinal)).ToList();
    }

    private static NetworkFeatures FeaturesFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(FeaturesVariable);
        return text switch
        {
            null or "" or "supported" => NetworkFeatures.Supported,
            "all" => NetworkFeatures.All,
            _ => throw new InvalidOperationException($"{FeaturesVariable}={text}: use 'supported' (the default) or 'all'."),
        };
    }

    /// <summary>The seed, and the variables that draw this network again.</summary>
    private static string Describe(RandomNetwork network) =>
        $"seed {network.Seed} ({SeedVariable}={network.Seed} {CountVariable}=1" +
        (FeaturesFromEnvironment() == NetworkFeatures.Supported ? "" : $" {FeaturesVariable}=all") + ")";

    private static string Failures(IReadOnlyList<NetworkReport> failed)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{failed.Count} network(s) failed:\n");
        foreach (NetworkReport report in failed)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n=== {Describe(report.Network)}\n");
            text.Append("    ").Append(string.Join(" ", report.Network.Trace)).Append('\n');
            foreach (string problem in report.Problems.Take(8)) text.Append("  - ").Append(problem).Append('\n');
            if (report.Problems.Count > 8) text.Append(CultureInfo.InvariantCulture, $"  ... and {report.Problems.Count - 8} more\n");
            text.Append(report.Network.Source);
        }
        return text.ToString();
    }

    private static string StepCounts(IReadOnlyList<NetworkReport> reports) => string.Join(", ", CentralDifference.Steps.Select(step =>
        string.Create(CultureInfo.InvariantCulture, $"{reports.Sum(r => r.Points.Count(p => p.Verdict != PointVerdict.Kink && p.Step == step))} at step 1/{1 / step:F0}")));

    private static string Summary(IReadOnlyList<NetworkReport> reports, NetworkFeatures features, TimeSpan elapsed, Timings timings)
    {
        int points = reports.Sum(r => r.Points.Count), kinks = reports.Sum(r => r.Kinks);
        double worst = reports.Select(r => r.WorstErrorRatio).DefaultIfEmpty(0).Max();
        return string.Create(CultureInfo.InvariantCulture,
            $"{reports.Count} networks ({reports.Count(r => r.Network.Input.IsFlat)} flat, {reports.Count(r => r.Network.HasDropout)} with dropout; " +
            $"{reports.Sum(r => r.Network.ParameterCount):N0} parameters) in {elapsed.TotalSeconds:F1} s " +
            $"({timings.Compiling.TotalSeconds:F1} s generating and compiling, {timings.Checking.TotalSeconds:F1} s checking), features {features}:\n" +
            $"  {points} finite-difference points: {points - kinks} checked ({StepCounts(reports)}), {kinks} on kinks at every step; worst error {worst:P0} of its tolerance\n" +
            $"  {reports.Sum(r => r.PredictedSamples)} samples through PredictBatch with 1, 2 and 3 workers; " +
            $"gradients with 2 and 3 workers at worst {reports.Select(r => r.WorstWorkerRatio).DefaultIfEmpty(0).Max():P0} of their tolerance");
    }
}
