using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>The diagnostics of one case of a batch, by where they are.</summary>
internal sealed class CaseDiagnostics
{
    /// <summary>What the analyzer reported on the case's declaration.</summary>
    public List<Diagnostic> Cn { get; } = new();

    /// <summary>Compiler diagnostics in the files generated for the case: never the user's doing.</summary>
    public List<Diagnostic> InGenerated { get; } = new();

    /// <summary>Compiler diagnostics in the declaration that it does not have when compiled without the generator.</summary>
    public List<Diagnostic> NewInDeclaration { get; } = new();

    /// <summary>Compiler diagnostics in the code that uses every generated member: a missing or mistyped member.</summary>
    public List<Diagnostic> InUsage { get; } = new();

    /// <summary>Diagnostics of a batch of one that no file explains: a CN diagnostic without a place, a compiler diagnostic about the whole compilation.</summary>
    public List<Diagnostic> Unplaced { get; } = new();

    /// <summary>The declaration has errors of its own, generator or not.</summary>
    public bool DeclarationHasErrors { get; set; }
}
