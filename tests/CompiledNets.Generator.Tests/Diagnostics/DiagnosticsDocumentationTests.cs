using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Generator.Tests.Diagnostics;

/// <summary>
/// docs/diagnostics.md is where every CN diagnostic's help link leads: each descriptor has its section, and
/// each section's examples are compiled, so the page cannot drift from what the analyzer really says.
/// </summary>
public sealed class DiagnosticsDocumentationTests
{
    /// <summary>
    /// IDs the current planner cannot produce, and what it reports for their "Wrong" example instead
    /// (Dropout as a whole is not supported yet; valid padding never shrinks a fitting window to nothing).
    /// </summary>
    private static readonly Dictionary<string, string> ReportedInstead = new() { ["CN0019"] = "CN0004" };

    private static readonly Lazy<string> Page = new(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md")).Replace("\r\n", "\n"));

    public static TheoryData<string> Ids() => new(DiagnosticDescriptors.ById.Keys.OrderBy(id => id, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryDiagnosticHasItsSectionAndItsHelpLinkLeadsThere(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById[id];
        string anchor = id.ToLowerInvariant();

        Assert.EndsWith("/docs/diagnostics.md#" + anchor, descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Contains($"<a id=\"{anchor}\"></a>\n## {id}: {descriptor.Title}\n\n**Severity:** {descriptor.DefaultSeverity}", Page.Value);
        Assert.Contains($"| [{id}](#{anchor}) | {descriptor.DefaultSeverity} | {descriptor.Title} |", Page.Value);
    }

    [Fact]
    public void EverySectionIsADiagnostic()
    {
        var documented = Regex.Matches(Page.Value, @"^## (CN\d{4}):", RegexOptions.Multiline).Select(m => m.Groups[1].Value);

        Assert.Equal(DiagnosticDescriptors.ById.Keys.OrderBy(id => id, StringComparer.Ordinal), documented);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void WrongExampleReportsTheDiagnostic(string id)
    {
        GeneratorRun run = GeneratorHarness.Run(Example(id, "Wrong"));

        string expected = ReportedInstead.GetValueOrDefault(id, id);
        Assert.Contains(expected, run.AnalyzerDiagnostics.Select(d => d.Id));
        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void RightExampleIsAValidNetwork(string id)
    {
        GeneratorRun run = GeneratorHarness.Run(Example(id, "Right"));

        DiagnosticAssert.None(run.AnalyzerDiagnostics, "analyzer diagnostics");
        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        Assert.NotEmpty(run.GeneratedFiles);
    }

    /// <summary>The first C# block after the line starting with <paramref name="label"/> in the section of <paramref name="id"/>.</summary>
    private static string Example(string id, string label)
    {
        string page = Page.Value;
        int start = page.IndexOf($"\n## {id}:", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section for {id}.");
        int end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? page.Substring(start) : page.Substring(start, end - start);
        Match example = Regex.Match(section, $@"\n{label}[^\n]*:\n\n```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(example.Success, $"The {id} section has no '{label}:' C# example.");
        return example.Groups["code"].Value;
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        for (string? directory = Path.GetDirectoryName(thisFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "CompiledNets.sln"))) return directory;
        }
        throw new InvalidOperationException($"No CompiledNets.sln above {thisFile}.");
    }
}
