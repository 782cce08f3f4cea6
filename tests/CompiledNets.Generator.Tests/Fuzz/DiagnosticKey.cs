using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// A diagnostic as it can be compared between two compilations of the same files (with and without the
/// generator): the message may differ as symbols change, the kind and the place do not.
/// </summary>
internal sealed record DiagnosticKey(string Id, string? Path, int Start, int Length, DiagnosticSeverity Severity)
{
    public static DiagnosticKey Of(Diagnostic d) =>
        new(d.Id, d.Location.SourceTree?.FilePath, d.Location.SourceSpan.Start, d.Location.SourceSpan.Length, d.Severity);
}
