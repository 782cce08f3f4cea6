using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// The promise, for one case: a wrong network is exactly one kind of error, a CN diagnostic, and a network the
/// analyzer does not complain about is generated in full and compiles without a single error or warning.
/// </summary>
internal static class CaseJudge
{
    /// <summary>What the generator writes instead of a network when the plan has errors: members that all throw.</summary>
    private const string ThrowingMemberMarker = "NetworkGuard.InvalidNetwork(";

    /// <summary>Diagnostics written out per kind of problem; the rest are counted (one bug can raise hundreds).</summary>
    private const int DiagnosticsShown = 3;

    public static CaseOutcome Judge(FuzzCase fuzzCase, CaseDiagnostics diagnostics, IReadOnlyList<GeneratedFile> generated)
    {
        var problems = new List<FuzzProblem>();
        // Wherever they are, these are never the user's doing: with or without a CN error, they must not exist.
        bool clash = fuzzCase.ClashingName is not null;
        AddPerKind(problems, diagnostics.InGenerated, "in generated code", fuzzCase, clash);
        AddPerKind(problems, diagnostics.NewInDeclaration, "added to the user's declaration by the generated code", fuzzCase, clash);
        AddPerKind(problems, diagnostics.InUsage, "in code using the network's generated members", fuzzCase, clash);
        AddPerKind(problems, diagnostics.Unplaced, "without a place in the case's files", fuzzCase, clash);

        bool hasCnError = diagnostics.Cn.Any(d => d.Severity == DiagnosticSeverity.Error);
        if (!fuzzCase.HasMarker && generated.Count > 0)
            problems.Add(new FuzzProblem("generated code for a class without [CompiledNetwork]", "    " + string.Join(", ", generated.Select(f => f.HintName))));

        // Silence from the analyzer is a promise too: the network is generated in full, not as members that throw.
        bool mustBeValid = fuzzCase.HasMarker && !hasCnError && !diagnostics.DeclarationHasErrors;
        if (mustBeValid)
        {
            if (generated.Count != 1)
                problems.Add(new FuzzProblem("no CN error, but not one generated file", $"    {generated.Count} files: {string.Join(", ", generated.Select(f => f.HintName))}"));
            else if (generated[0].Text.Contains(ThrowingMemberMarker, StringComparison.Ordinal))
                problems.Add(new FuzzProblem("no CN error, but the generated members throw", $"    {generated[0].HintName} is the invalid-network stub, and no diagnostic says why."));
        }

        return new CaseOutcome(
            fuzzCase,
            diagnostics.Cn.Select(d => d.Id).ToList(),
            hasCnError,
            diagnostics.DeclarationHasErrors,
            IsValid: mustBeValid && problems.Count == 0,
            problems);
    }

    /// <summary>
    /// One problem per diagnostic id. Its kind carries the first message with the network's name and the numbers
    /// taken out, so cases that hit the same bug share a kind in the report and different bugs with the same id do
    /// not. A name clash is one bug class with many messages: its kinds say "(name clash)" instead, kept apart so
    /// they hide no other bug.
    /// </summary>
    private static void AddPerKind(List<FuzzProblem> problems, List<Diagnostic> diagnostics, string where, FuzzCase fuzzCase, bool clash)
    {
        foreach (var kind in diagnostics.GroupBy(d => d.Id, StringComparer.Ordinal))
        {
            var shown = kind.Take(DiagnosticsShown).Select(d => "    " + d).ToList();
            int more = kind.Count() - shown.Count;
            if (more > 0) shown.Add(string.Create(CultureInfo.InvariantCulture, $"    ... and {more} more"));
            string label = clash ? " (name clash)" : ": " + Shorten(Generalize(kind.First().GetMessage(CultureInfo.InvariantCulture), fuzzCase));
            problems.Add(new FuzzProblem($"{kind.Key} {where}{label}", string.Join("\n", shown), clash));
        }
    }

    /// <summary>"'Outer0.Net_17.Worker' lacks 'Flatten3Output'" → "'&lt;network&gt;.Worker' lacks 'FlattenNOutput'".</summary>
    private static string Generalize(string message, FuzzCase fuzzCase)
    {
        foreach (string name in new[] { fuzzCase.FullName, fuzzCase.TypePath })
            message = Regex.Replace(message, $@"\b{Regex.Escape(name)}\b", "<network>", RegexOptions.CultureInvariant);
        return Numbers.Replace(message, "N");
    }

    private static readonly Regex Numbers = new(@"\d+", RegexOptions.CultureInvariant);

    private static string Shorten(string message) => message.Length <= 100 ? message : message.Substring(0, 100) + "...";
}
