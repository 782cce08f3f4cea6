using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Parse stage: turns a <c>[CompiledNetwork]</c> class symbol into a <see cref="NetworkSpec"/> of plain values.
/// Shared by the generator and the analyzer, so both see the same network.
/// </summary>
internal static class NetworkParser
{
    /// <summary>
    /// Reads <paramref name="type"/>, whose <c>[CompiledNetwork]</c> sits on <paramref name="markerDeclaration"/>.
    /// </summary>
    public static NetworkSpec Parse(INamedTypeSymbol type, TypeDeclarationSyntax markerDeclaration, CancellationToken cancellationToken)
    {
        var problems = ImmutableArray.CreateBuilder<PlanDiagnostic>();
        string name = type.Name;

        if (markerDeclaration is RecordDeclarationSyntax)
            problems.Add(ClassProblem(DiagnosticDescriptors.NotAClass.Id, name));
        else if (!markerDeclaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            problems.Add(ClassProblem(DiagnosticDescriptors.NotPartial.Id, name));
        if (type.TypeParameters.Length > 0) // its own type parameters; a generic container is CN0021
            problems.Add(ClassProblem(DiagnosticDescriptors.Generic.Id, name));
        if (type.IsStatic)
            problems.Add(ClassProblem(DiagnosticDescriptors.Static.Id, name));
        if (type.IsFileLocal)
            problems.Add(FileLocalProblem(name, name));
        var containers = Containers(type, name, problems);
        EquatableArray<string> layerLikeMembers = NameClashReader.Read(type, problems);

        var layers = ImmutableArray.CreateBuilder<LayerSpec>();
        bool unbound = false;
        ImmutableArray<AttributeData> attributes = LayerAttributes.Ordered(type);
        for (int index = 0; index < attributes.Length; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AttributeData attribute = attributes[index];
            SyntaxReference? reference = attribute.ApplicationSyntaxReference;
            if (reference is not null && !IsOn(markerDeclaration, reference))
            {
                problems.Add(new PlanDiagnostic(
                    DiagnosticDescriptors.LayersOnOtherDeclaration.Id, index,
                    new[] { "[" + ShortName(attribute) + "]", name }.ToEquatableArray()));
                continue;
            }

            LayerSpec? layer = AttributeReader.Read(attribute, index);
            if (layer is null)
            {
                unbound = true;
                continue;
            }
            layers.Add(layer);
        }

        string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return new NetworkSpec(ns, name, containers, layers.ToImmutable().ToEquatableArray(), problems.ToImmutable().ToEquatableArray(), unbound, layerLikeMembers);
    }

    /// <summary>The attribute class name without its "Attribute" suffix, as the user writes it.</summary>
    internal static string ShortName(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "?";
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private static PlanDiagnostic ClassProblem(string id, string className) =>
        new(id, PlanDiagnostic.ClassLevel, new[] { className }.ToEquatableArray(), BlocksEmission: true);

    /// <summary>A file-local network or container: the generated declaration, in another file, would declare another type (CN0025).</summary>
    private static PlanDiagnostic FileLocalProblem(string fileLocalType, string network) =>
        new(DiagnosticDescriptors.FileLocal.Id, PlanDiagnostic.ClassLevel, new[] { fileLocalType, network }.ToEquatableArray(), BlocksEmission: true);

    private static bool IsOn(TypeDeclarationSyntax declaration, SyntaxReference reference) =>
        reference.SyntaxTree == declaration.SyntaxTree && declaration.AttributeLists.FullSpan.Contains(reference.Span);

    /// <summary>The types the network is nested in, outermost first; each must be partial and non-generic (CN0021).</summary>
    private static EquatableArray<ContainingType> Containers(INamedTypeSymbol type, string network, ImmutableArray<PlanDiagnostic>.Builder problems)
    {
        var stack = new List<ContainingType>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var syntax = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            string keyword = syntax switch
            {
                RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            bool partial = syntax is not null && syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
            bool generic = outer.TypeParameters.Length > 0;
            if (!partial || generic)
            {
                string what = !partial && generic ? "neither partial nor non-generic" : !partial ? "not partial" : "generic";
                problems.Add(new PlanDiagnostic(DiagnosticDescriptors.ContainerNotPartial.Id, PlanDiagnostic.ClassLevel,
                    new[] { outer.Name, network, what, keyword }.ToEquatableArray(), BlocksEmission: true));
            }
            if (outer.IsFileLocal)
                problems.Add(FileLocalProblem(outer.Name, network));
            stack.Add(new ContainingType(keyword, outer.Name));
        }
        stack.Reverse();
        return stack.ToEquatableArray();
    }
}
