extern alias Runtime;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>
/// Compiles source text the way a user's project would (the .NET 10 reference assemblies, the CompiledNets
/// runtime and System.Numerics.Tensors), runs <see cref="CompiledNetworkGenerator"/> over it with step
/// tracking on, and runs <see cref="NetworkAnalyzer"/> over the result.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
        Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(Runtime::CompiledNets.ICompiledNetwork).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location))
            .ToImmutableArray();

    /// <summary>
    /// Documentation comments are checked (as with GenerateDocumentationFile), so a malformed XML doc or a
    /// broken cref in generated code shows up as a warning.
    /// </summary>
    public static CSharpParseOptions ParseOptions(LanguageVersion languageVersion = LanguageVersion.Latest) =>
        new(languageVersion, DocumentationMode.Diagnose);

    /// <summary>A library compilation of <paramref name="sources"/>, one syntax tree each, named Source0.cs, Source1.cs, ...</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, LanguageVersion languageVersion = LanguageVersion.Latest)
    {
        CSharpParseOptions parseOptions = ParseOptions(languageVersion);
        var trees = sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, parseOptions, path: $"Source{i}.cs"));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            // The test networks are public classes without doc comments of their own; whether *they* are documented
            // is the user's business (generated members carry their docs or a scoped pragma).
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress });
        return CSharpCompilation.Create("UserAssembly", trees, References, options);
    }

    /// <summary>A fresh driver for the generator, tracking its steps so the caching tests can read them.</summary>
    public static GeneratorDriver CreateDriver(LanguageVersion languageVersion = LanguageVersion.Latest) =>
        CSharpGeneratorDriver.Create(
            new[] { new CompiledNetworkGenerator().AsSourceGenerator() },
            additionalTexts: null,
            parseOptions: ParseOptions(languageVersion),
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string source, LanguageVersion languageVersion = LanguageVersion.Latest) =>
        Run(new[] { source }, languageVersion);

    public static GeneratorRun Run(IEnumerable<string> sources, LanguageVersion languageVersion = LanguageVersion.Latest) =>
        Run(CreateDriver(languageVersion), CreateCompilation(sources, languageVersion));

    /// <summary>
    /// Runs <paramref name="driver"/> on <paramref name="compilation"/>, then the analyzer on the output.
    /// Throws when the generator or the analyzer threw: that is a bug in them, never an expected outcome.
    /// </summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
            throw new InvalidOperationException("The generator threw (the user would see CS8785 and lose the class).", result.Exception);

        var files = result.GeneratedSources
            .Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString()))
            .OrderBy(f => f.HintName, StringComparer.Ordinal)
            .ToImmutableArray();
        var compilerDiagnostics = generatorDiagnostics.Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToImmutableArray();
        return new GeneratorRun(driver, output, files, compilerDiagnostics, RunAnalyzer(output));
    }

    /// <summary>What <see cref="NetworkAnalyzer"/> reports on <paramref name="compilation"/>, in source order; throws when it threw.</summary>
    public static ImmutableArray<Diagnostic> RunAnalyzer(Compilation compilation)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => exceptions.Add(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter().GetResult();
        if (exceptions.Count > 0)
            throw new AggregateException("NetworkAnalyzer threw (the user would see AD0001).", exceptions);
        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }
}
