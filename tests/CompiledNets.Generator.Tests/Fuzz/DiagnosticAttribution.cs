using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// Hands each diagnostic of a batch run to its case: source files by their SourceN.cs name (see
/// <see cref="GeneratorHarness.CreateCompilation"/>), generated files by the hint name's namespace prefix.
/// </summary>
internal sealed class DiagnosticAttribution
{
    private readonly IReadOnlyList<FuzzCase> _cases;
    private readonly Dictionary<string, BatchFile> _sourcesByPath;

    public DiagnosticAttribution(IReadOnlyList<FuzzCase> cases, IReadOnlyList<BatchFile> files)
    {
        _cases = cases;
        _sourcesByPath = files.Select((file, index) => (file, index))
            .ToDictionary(f => string.Create(CultureInfo.InvariantCulture, $"Source{f.index}.cs"), f => f.file, StringComparer.Ordinal);
    }

    /// <summary>
    /// Each diagnostic of <paramref name="run"/> in the <see cref="CaseDiagnostics"/> of its case; those that belong to
    /// no case (no location, an unknown file) are returned apart: placing them takes a batch of one.
    /// </summary>
    public CaseDiagnostics[] Assign(GeneratorRun run, HashSet<DiagnosticKey> baseline, out List<Diagnostic> unplaced)
    {
        var perCase = _cases.Select(_ => new CaseDiagnostics()).ToArray();
        unplaced = new List<Diagnostic>();

        foreach (Diagnostic diagnostic in run.AnalyzerDiagnostics)
        {
            if (SourceOf(diagnostic) is { IsUsage: false } file) perCase[file.Owner].Cn.Add(diagnostic);
            else unplaced.Add(diagnostic);
        }
        foreach (Diagnostic diagnostic in run.CompilerDiagnostics)
        {
            if (SourceOf(diagnostic) is { } file)
            {
                if (file.IsUsage) perCase[file.Owner].InUsage.Add(diagnostic);
                else if (!baseline.Contains(DiagnosticKey.Of(diagnostic))) perCase[file.Owner].NewInDeclaration.Add(diagnostic);
                // Only errors that remain with the generated code: without it, a use of a generated member is an error too.
                else if (diagnostic.Severity == DiagnosticSeverity.Error) perCase[file.Owner].DeclarationHasErrors = true;
            }
            else if (GeneratedOwner(diagnostic) is int owner) perCase[owner].InGenerated.Add(diagnostic);
            else unplaced.Add(diagnostic);
        }
        return perCase;
    }

    private BatchFile? SourceOf(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree?.FilePath is { } path && _sourcesByPath.TryGetValue(path, out BatchFile? file) ? file : null;

    private int? GeneratedOwner(Diagnostic diagnostic)
    {
        if (diagnostic.Location.SourceTree is null) return null;
        string hintName = Path.GetFileName(diagnostic.Location.SourceTree.FilePath);
        for (int i = 0; i < _cases.Count; i++)
        {
            if (hintName.StartsWith(_cases[i].HintPrefix, StringComparison.Ordinal)) return i;
        }
        return null;
    }
}
