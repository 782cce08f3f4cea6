using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>A generated file: the hint name it was added under and its text.</summary>
internal sealed record GeneratedFile(string HintName, string Text);

/// <summary>What one run of the generator (and of the analyzer on its output) produced for some source text.</summary>
/// <param name="Driver">The driver after the run, to run again in the incremental caching tests.</param>
/// <param name="OutputCompilation">The user's compilation plus the generated files.</param>
/// <param name="GeneratedFiles">The generated files, ordered by hint name.</param>
/// <param name="CompilerDiagnostics">Errors and warnings of the driver and of <paramref name="OutputCompilation"/>: what the user's build shows besides ours.</param>
/// <param name="AnalyzerDiagnostics">What <c>NetworkAnalyzer</c> reports on <paramref name="OutputCompilation"/>, in source order.</param>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    Compilation OutputCompilation,
    ImmutableArray<GeneratedFile> GeneratedFiles,
    ImmutableArray<Diagnostic> CompilerDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics)
{
    /// <summary>The run's result for our one generator: its tracked steps and generated sources.</summary>
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();
}
