extern alias Runtime;

using System;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CompiledNets.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompiledNets.Generator.Benchmarks;

/// <summary>
/// What CompiledNets adds to a user's build, per network: the generator on a compilation it has not seen
/// (Parse, Plan and Emit of the one network), the generator again after an edit elsewhere in the project (the
/// incremental cache should answer), and the analyzer that reports the CN diagnostics.
/// The compilations share their reference assemblies, already bound, as the compiler's own compilation of the
/// user's code does: what is measured is the generator's and the analyzer's work, not loading .NET's metadata.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
        Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(Runtime::CompiledNets.ICompiledNetwork).Assembly.Location))
            .ToImmutableArray();

    private SyntaxTree _network = null!;
    private SyntaxTree[] _unrelated = null!;

    /// <summary>The project without the network, its references bound: each cold run adds the network to it.</summary>
    private CSharpCompilation _project = null!;

    /// <summary>The warm state: the compilation last seen by <see cref="_warmDriver"/> and which unrelated version it holds.</summary>
    private CSharpCompilation _warmCompilation = null!;
    private GeneratorDriver _warmDriver = null!;
    private int _warmVersion;

    private CompilationWithAnalyzersOptions _analyzerOptions = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    [ParamsAllValues]
    public BenchmarkNetwork Network { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _network = CSharpSyntaxTree.ParseText(BenchmarkNetworks.Source(Network), ParseOptions, path: "Network.cs");
        _unrelated = new[] { 0, 1 }.Select(v => CSharpSyntaxTree.ParseText(BenchmarkNetworks.Unrelated(v), ParseOptions, path: "Unrelated.cs")).ToArray();
        _project = CSharpCompilation.Create("UserAssembly", new[] { _unrelated[0] }, References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // Binds the references once; compilations derived from this one by adding or replacing trees share them.
        _ = _project.GetTypeByMetadataName("CompiledNets.CompiledNetworkAttribute") ?? throw new InvalidOperationException("The runtime assembly is not referenced.");

        _warmCompilation = _project.AddSyntaxTrees(_network);
        _warmDriver = CreateDriver(trackSteps: false).RunGenerators(_warmCompilation);
        _warmVersion = 0;

        _analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer());
        _analyzerOptions = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => throw new InvalidOperationException("NetworkAnalyzer threw.", exception),
            concurrentAnalysis: false, logAnalyzerExecutionTime: false);

        Check();
    }

    [Benchmark(Description = "Generator, cold (new driver, new compilation)")]
    public GeneratorDriver GeneratorCold() => CreateDriver(trackSteps: false).RunGenerators(_project.AddSyntaxTrees(_network));

    [Benchmark(Description = "Generator, warm (after an unrelated edit)")]
    public GeneratorDriver GeneratorWarm()
    {
        int next = 1 - _warmVersion;
        _warmCompilation = _warmCompilation.ReplaceSyntaxTree(_unrelated[_warmVersion], _unrelated[next]);
        _warmVersion = next;
        return _warmDriver = _warmDriver.RunGenerators(_warmCompilation);
    }

    [Benchmark(Description = "Analyzer (CN diagnostics, new compilation)")]
    public ImmutableArray<Diagnostic> Analyzer() =>
        _project.AddSyntaxTrees(_network).WithAnalyzers(_analyzers, _analyzerOptions).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    private static GeneratorDriver CreateDriver(bool trackSteps) =>
        CSharpGeneratorDriver.Create(
            new[] { new CompiledNetworkGenerator().AsSourceGenerator() },
            additionalTexts: null,
            parseOptions: ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>
    /// Refuses to measure something else than the description says: the generator writes one file without
    /// throwing, and the warm run after an unrelated edit reuses the generated source instead of emitting it again.
    /// Prints the analyzer's diagnostics (LeNet-5 and the tutorial convnet use layers that may not be supported yet).
    /// </summary>
    private void Check()
    {
        Compilation first = _project.AddSyntaxTrees(_network);
        GeneratorDriver driver = CreateDriver(trackSteps: true).RunGenerators(first);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null) throw new InvalidOperationException("The generator threw.", result.Exception);
        if (result.GeneratedSources.Length != 1) throw new InvalidOperationException($"Expected one generated file, got {result.GeneratedSources.Length}.");

        Compilation edited = first.ReplaceSyntaxTree(_unrelated[0], _unrelated[1]);
        result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        var reasons = result.TrackedSteps["Source"].SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
        if (reasons.Length == 0 || reasons.Any(reason => reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)))
            throw new InvalidOperationException("After an unrelated edit the generator emitted the network again: " + string.Join(", ", reasons));

        var diagnostics = Analyzer();
        Console.WriteLine($"// {Network}: {result.GeneratedSources[0].SourceText.Length:N0} characters generated; analyzer: "
            + (diagnostics.IsEmpty ? "no diagnostics" : string.Join(", ", diagnostics.Select(d => d.Id))));
    }
}
