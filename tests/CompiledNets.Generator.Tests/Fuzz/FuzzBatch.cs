using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// Runs the generator and the analyzer once over many cases (one compilation, each case in files and names of its
/// own: compiling is what costs, and a compilation per case would take minutes), then hands every diagnostic to the
/// case it belongs to. Whatever cannot be pinned on one case (an exception, a diagnostic without a place) sends the
/// batch round again one case at a time, so every failure still names its seed.
/// </summary>
internal static class FuzzBatch
{
    /// <summary>An analyzer or a generator that threw: AD0001, CS8784 (initialization), CS8785 (generation).</summary>
    private static readonly HashSet<string> CrashIds = new(StringComparer.Ordinal) { "AD0001", "CS8784", "CS8785" };

    public static IReadOnlyList<CaseOutcome> Run(IReadOnlyList<FuzzCase> cases)
    {
        var files = new List<BatchFile>();
        for (int owner = 0; owner < cases.Count; owner++)
        {
            files.Add(new BatchFile(cases[owner].Source, owner, IsUsage: false));
            if (cases[owner].Usage is { } usage) files.Add(new BatchFile(usage, owner, IsUsage: true));
        }

        GeneratorRun run;
        try
        {
            run = GeneratorHarness.Run(files.Select(f => f.Text));
        }
        catch (Exception exception)
        {
            return Isolate(cases, new FuzzProblem("exception: " + exception.GetType().Name, exception.ToString()));
        }
        var crashes = run.CompilerDiagnostics.Concat(run.AnalyzerDiagnostics).Where(d => CrashIds.Contains(d.Id)).ToList();
        if (crashes.Count > 0)
            return Isolate(cases, new FuzzProblem(crashes[0].Id, string.Join("\n", crashes)));

        CaseDiagnostics[] perCase = new DiagnosticAttribution(cases, files).Assign(run, Baseline(files), out var unplaced);
        if (unplaced.Count > 0)
        {
            if (cases.Count > 1) return OneByOne(cases);
            perCase[0].Unplaced.AddRange(unplaced);
        }
        return cases.Select((c, i) => CaseJudge.Judge(c, perCase[i], run.GeneratedFiles.Where(f => f.HintName.StartsWith(c.HintPrefix, StringComparison.Ordinal)).ToList())).ToList();
    }

    /// <summary>
    /// Pins a crash of the batch on the cases that crash alone. Should none do, the crash came from cases meeting in
    /// one compilation (two of them writing the same hint name, say): a failure too, named by the batch's first seed.
    /// </summary>
    private static IReadOnlyList<CaseOutcome> Isolate(IReadOnlyList<FuzzCase> cases, FuzzProblem crash)
    {
        if (cases.Count == 1) return new[] { CaseOutcome.Crashed(cases[0], crash) };
        var outcomes = OneByOne(cases).ToList();
        if (outcomes.All(o => o.Problems.Count == 0))
        {
            string seeds = string.Join(", ", cases.Select(c => c.Seed));
            outcomes[0] = CaseOutcome.Crashed(cases[0], crash with { Kind = crash.Kind + " (only with the rest of its batch, seeds " + seeds + ")" });
        }
        return outcomes;
    }

    private static IReadOnlyList<CaseOutcome> OneByOne(IReadOnlyList<FuzzCase> cases) =>
        cases.SelectMany(c => Run(new[] { c })).ToList();

    /// <summary>
    /// The diagnostics of the declarations compiled without the generator: what the user's source causes by itself.
    /// Usage files are left empty (they need the generated members) so that every file keeps its SourceN.cs name.
    /// </summary>
    private static HashSet<DiagnosticKey> Baseline(List<BatchFile> files) =>
        GeneratorHarness.CreateCompilation(files.Select(f => f.IsUsage ? "" : f.Text))
            .GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(DiagnosticKey.Of)
            .ToHashSet();
}
