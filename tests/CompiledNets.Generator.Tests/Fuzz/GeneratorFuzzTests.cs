using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// The generator's promise, tried on random declarations: it never throws, and a wrong network is exactly one
/// kind of error, a CN diagnostic from the analyzer, never compiler errors from generated code; a network the
/// analyzer accepts compiles, generated members and all, without a single error or warning.
/// 300 cases by default; <c>COMPILEDNETS_FUZZ_COUNT</c> and <c>COMPILEDNETS_FUZZ_SEED</c> run more, or replay one
/// (see <see cref="FuzzSettings"/>). Every failure names its seed, its class and its source. The numbers of a
/// passing run (cases, valid networks, each CN id) go to the test output: add
/// <c>--logger "console;verbosity=detailed"</c> to see them.
/// </summary>
public sealed class GeneratorFuzzTests
{
    /// <summary>Cases per compilation: large enough to share the cost of compiling, small enough that an exception costs little to pin down.</summary>
    private const int BatchSize = 20;

    private readonly ITestOutputHelper _output;

    public GeneratorFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void RandomNetworksEitherCompileCleanlyOrReportOnlyCnDiagnostics()
    {
        FuzzSettings settings = FuzzSettings.FromEnvironment();
        var stopwatch = Stopwatch.StartNew();
        var outcomes = new List<CaseOutcome>();
        for (int first = 0; first < settings.Count; first += BatchSize)
        {
            var cases = Enumerable.Range(first, Math.Min(BatchSize, settings.Count - first))
                .Select(n => RandomDeclarations.Create(settings.FirstSeed + n))
                .ToList();
            outcomes.AddRange(FuzzBatch.Run(cases));
        }
        stopwatch.Stop();

        string summary = FuzzReport.Summary(outcomes, settings, stopwatch.Elapsed);
        _output.WriteLine(summary);
        var failed = outcomes.Where(o => o.Problems.Count > 0).ToList();
        Assert.True(failed.Count == 0, FuzzReport.Failures(failed) + "\n" + summary);

        // A fuzzer whose cases were all valid, or all broken, would pass while testing half the promise.
        if (settings.Count >= 100)
        {
            Assert.True(outcomes.Count(o => o.IsValid) >= settings.Count / 10, "Too few valid networks to exercise the emitter:\n" + summary);
            Assert.True(outcomes.Count(o => o.HasCnError) >= settings.Count / 10, "Too few wrong networks to exercise the diagnostics:\n" + summary);
        }
    }
}
