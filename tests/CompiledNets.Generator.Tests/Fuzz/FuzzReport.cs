using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>The numbers of a fuzz run, and its failures grouped by kind with the source of a few cases of each.</summary>
internal static class FuzzReport
{
    /// <summary>Failing cases written out in full: the first of each kind of failure, up to this many.</summary>
    private const int CasesShown = 8;

    public static string Summary(IReadOnlyList<CaseOutcome> outcomes, FuzzSettings settings, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        Append(text, $"{outcomes.Count} cases (seeds {settings.FirstSeed}..{settings.FirstSeed + settings.Count - 1}) in {elapsed.TotalSeconds:F1} s:");
        Append(text, $"  {outcomes.Count(o => o.IsValid)} valid (generated in full, compiled without a diagnostic)");
        Append(text, $"  {outcomes.Count(o => o.HasCnError)} with CN errors");
        Append(text, $"  {outcomes.Count(o => !o.IsValid && !o.HasCnError && o.Problems.Count == 0)} neither (no [CompiledNetwork], or an attribute that does not bind)");
        Append(text, $"  {outcomes.Count(o => o.HasUserErrors)} whose declaration has compiler errors of its own");
        Append(text, $"  {outcomes.Count(o => o.Problems.Count > 0)} failed");
        Append(text, "CN diagnostics (reported, cases):");
        foreach (var id in outcomes.SelectMany(o => o.CnIds).GroupBy(id => id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            Append(text, $"  {id.Key}: {id.Count()}, {outcomes.Count(o => o.CnIds.Contains(id.Key))}");
        return text.ToString();
    }

    /// <summary>
    /// One line per kind of failure with the seeds that hit it, then the first case of each kind in full (each case
    /// once, with all its problems): one bug hit by forty cases reads as one line, not forty sources.
    /// </summary>
    public static string Failures(IReadOnlyList<CaseOutcome> failed)
    {
        var text = new StringBuilder();
        var kinds = failed
            .SelectMany(o => o.Problems.Select(p => (Outcome: o, p.Kind, p.FromNameClash)))
            .GroupBy(f => f.Kind, StringComparer.Ordinal)
            .OrderBy(g => g.First().FromNameClash) // one known bug class with many symptoms must not push the others out of view
            .ThenByDescending(g => g.Count())
            .ToList();
        Append(text, "Failures by kind:");
        foreach (var kind in kinds)
        {
            var seeds = kind.Select(f => f.Outcome.Case.Seed).Distinct().ToList();
            Append(text, $"  {kind.Key}: {seeds.Count} case(s), seeds {string.Join(", ", seeds.Take(30))}{(seeds.Count > 30 ? ", ..." : "")}");
        }

        foreach (CaseOutcome outcome in kinds.Select(k => k.First().Outcome).Distinct().Take(CasesShown))
        {
            FuzzCase c = outcome.Case;
            Append(text, "");
            string clash = c.ClashingName is null ? "" : $"; clashing name: {c.ClashingName}";
            Append(text, $"--- seed {c.Seed}, class {c.FullName}; CN: {(outcome.CnIds.Count == 0 ? "none" : string.Join(", ", outcome.CnIds))}{clash}; replay with {c.ReplayHint}");
            foreach (FuzzProblem problem in outcome.Problems)
            {
                Append(text, "  " + problem.Kind + ":");
                Append(text, problem.Detail);
            }
            text.Append(c.Source);
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Append(StringBuilder text, string line) => text.Append(line).Append('\n');
}
