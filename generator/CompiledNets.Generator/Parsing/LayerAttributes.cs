using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Parsing;

/// <summary>Finds the CompiledNets layer attributes of a class, in the order the network applies them.</summary>
internal static class LayerAttributes
{
    public const string Namespace = "CompiledNets";
    public const string MarkerName = "CompiledNetworkAttribute";
    public const string MarkerMetadataName = Namespace + "." + MarkerName;

    private static readonly ImmutableHashSet<string> LayerNames = ImmutableHashSet.Create(
        "InputAttribute", "Conv2DAttribute", "MaxPool2DAttribute", "AveragePool2DAttribute",
        "FlattenAttribute", "DenseAttribute", "DropoutAttribute", "LossAttribute");

    /// <summary>True for an attribute class of ours that declares a layer, the input or the loss.</summary>
    public static bool IsLayerAttribute(INamedTypeSymbol? attributeClass) =>
        attributeClass is not null
        && LayerNames.Contains(attributeClass.Name)
        && attributeClass.ContainingNamespace is { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>True for <c>[CompiledNetwork]</c>.</summary>
    public static bool IsMarker(INamedTypeSymbol? attributeClass) =>
        attributeClass is { Name: MarkerName }
        && attributeClass.ContainingNamespace is { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>
    /// The layer attributes of <paramref name="type"/>, ordered by where they are written (syntax tree, then
    /// position) rather than by the order Roslyn happens to return them in. The index in this list is the
    /// <c>AttributeIndex</c> of the parsed model and of its diagnostics.
    /// </summary>
    public static ImmutableArray<AttributeData> Ordered(INamedTypeSymbol type)
    {
        IEnumerable<AttributeData> layers = type.GetAttributes().Where(a => IsLayerAttribute(a.AttributeClass));
        return layers
            .OrderBy(a => a.ApplicationSyntaxReference?.SyntaxTree.FilePath ?? "", System.StringComparer.Ordinal)
            .ThenBy(a => a.ApplicationSyntaxReference?.Span.Start ?? 0)
            .ToImmutableArray();
    }
}
