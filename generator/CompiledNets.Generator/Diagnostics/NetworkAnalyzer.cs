using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Parsing;
using CompiledNets.Generator.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompiledNets.Generator.Diagnostics;

/// <summary>
/// Reports the CN diagnostics of every network, at the attribute that causes each one (or the class name),
/// by running the generator's own Parse and Plan stages — the split Roslyn recommends, so the generator
/// stays a pure source producer and diagnostics keep real, pragma-suppressible locations.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.ById.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? marker = type.GetAttributes().FirstOrDefault(a => LayerAttributes.IsMarker(a.AttributeClass));
        ImmutableArray<AttributeData> layers = LayerAttributes.Ordered(type);

        if (marker is null)
        {
            if (!layers.IsEmpty)
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LayerWithoutNetwork, NameLocation(type), type.Name));
            return;
        }

        if (marker.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not { } markerSyntax
            || markerSyntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
            return;

        NetworkSpec spec = NetworkParser.Parse(type, declaration, context.CancellationToken);
        NetworkPlan plan = NetworkPlanner.Plan(spec);
        foreach (PlanDiagnostic problem in plan.Diagnostics)
        {
            if (!DiagnosticDescriptors.ById.TryGetValue(problem.Id, out var descriptor)) continue;
            Location location = problem.AttributeIndex >= 0 && problem.AttributeIndex < layers.Length
                && layers[problem.AttributeIndex].ApplicationSyntaxReference is { } reference
                    ? Location.Create(reference.SyntaxTree, reference.Span)
                    : NameLocation(type, declaration);
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, problem.Arguments.Cast<object>().ToArray()));
        }
    }

    private static Location NameLocation(INamedTypeSymbol type, TypeDeclarationSyntax? declaration = null) =>
        declaration?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault() ?? Location.None;
}
