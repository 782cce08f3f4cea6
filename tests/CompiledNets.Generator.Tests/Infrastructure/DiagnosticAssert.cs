using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>Runs the generator and the analyzer on marked source and checks the one diagnostic the user should see.</summary>
internal static class DiagnosticAssert
{
    /// <summary>Fails with every diagnostic written out in full (xunit would cut each one short).</summary>
    public static void None(IEnumerable<Diagnostic> diagnostics, string what)
    {
        var all = diagnostics.ToList();
        Assert.True(all.Count == 0, $"Expected no {what}, got {all.Count}:\n" + string.Join("\n", all));
    }

    /// <summary>
    /// Asserts that the analyzer reports exactly one <paramref name="id"/> of <paramref name="severity"/> at the
    /// marked span, whose message contains every fragment (the layer, the shapes, the fix), and that the
    /// compiler reports nothing at all: the generated code must not add a cascade of errors to ours.
    /// Extra source files (e.g. code using the network) are compiled alongside.
    /// </summary>
    public static Diagnostic ReportsOnly(string markup, string id, DiagnosticSeverity severity, string[] messageFragments, params string[] otherSources)
    {
        var source = MarkedSource.Parse(markup);
        GeneratorRun run = GeneratorHarness.Run(otherSources.Prepend(source.Text));

        None(run.CompilerDiagnostics, "compiler diagnostics");
        Diagnostic diagnostic = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal("Source0.cs", diagnostic.Location.SourceTree?.FilePath);
        Assert.True(source.Span == diagnostic.Location.SourceSpan,
            $"Expected the diagnostic at '{source.MarkedText}' {source.Span}, but it is at '{source.Text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length)}' {diagnostic.Location.SourceSpan}.");
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string fragment in messageFragments)
            Assert.True(message.Contains(fragment, System.StringComparison.Ordinal), $"The message\n  {message}\nlacks\n  {fragment}");
        return diagnostic;
    }
}
