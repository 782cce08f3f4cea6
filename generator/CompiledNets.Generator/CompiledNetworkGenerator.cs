using CompiledNets.Generator.Emit;
using CompiledNets.Generator.Parsing;
using CompiledNets.Generator.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator;

/// <summary>
/// Parse → Plan → Emit for every class marked <c>[CompiledNetwork]</c>. Diagnostics are reported by
/// <see cref="Diagnostics.NetworkAnalyzer"/>, which runs the same Parse and Plan code; the generator
/// itself only adds source, and never throws.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CompiledNetworkGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                LayerAttributes.MarkerMetadataName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => NetworkParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, (TypeDeclarationSyntax)ctx.TargetNode, ct))
            .WithTrackingName(TrackingNames.Spec);

        var plans = specs
            .Select(static (spec, _) => NetworkPlanner.Plan(spec))
            .WithTrackingName(TrackingNames.Plan);

        var sources = plans
            .Where(static plan => plan.CanEmit)
            .Select(static (plan, _) => new GeneratedSource(plan.HintName, NetworkEmitter.Emit(plan)))
            .WithTrackingName(TrackingNames.Source);

        context.RegisterSourceOutput(sources, static (spc, source) => spc.AddSource(source.HintName, source.Text));
    }
}
