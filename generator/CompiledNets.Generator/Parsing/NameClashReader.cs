using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Finds the user's members whose names the generated class declares too (CN0023) and a class named like one of
/// them (CN0024), from the symbols, while the parser still has them; the model keeps only strings.
/// Members named like a layer's members ("Conv0Forward") are left to the planner, which knows the layers' names.
/// </summary>
internal static class NameClashReader
{
    private const string Fix = "rename it";

    /// <summary>
    /// Adds a problem per clash to <paramref name="problems"/> and returns the names of the class's own members
    /// that look like a layer's (<see cref="GeneratedMembers.LooksLikeLayerMember"/>), sorted.
    /// </summary>
    public static EquatableArray<string> Read(INamedTypeSymbol type, ImmutableArray<PlanDiagnostic>.Builder problems)
    {
        string name = type.Name;
        if (GeneratedMembers.IsFixed(name))
        {
            problems.Add(new PlanDiagnostic(DiagnosticDescriptors.ClassNamedLikeMember.Id, PlanDiagnostic.ClassLevel,
                new[] { name }.ToEquatableArray(), BlocksEmission: GeneratedMembers.Public.Contains(name)));
        }

        var clashes = new SortedDictionary<string, Clash>(StringComparer.Ordinal);
        var layerLike = new SortedSet<string>(StringComparer.Ordinal);
        ImmutableArray<TypeDeclarationSyntax> declarations = UserDeclarations(type);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || !member.DeclaringSyntaxReferences.Any(r => IsIn(declarations, r))) continue;
            if (Declared(member, name) is { } clash) clashes[clash.Description] = clash;
            else if (IsNamed(member) && GeneratedMembers.LooksLikeLayerMember(member.Name)) layerLike.Add(member.Name);
        }
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is { SpecialType: not SpecialType.System_Object }; baseType = baseType.BaseType)
        {
            foreach (ISymbol member in baseType.GetMembers())
            {
                if (Inherited(member, type, baseType) is { } clash) clashes[clash.Description] = clash;
            }
        }

        foreach (Clash clash in clashes.Values)
        {
            problems.Add(new PlanDiagnostic(DiagnosticDescriptors.MemberNamedLikeGenerated.Id, PlanDiagnostic.ClassLevel,
                new[] { name, clash.Description, clash.Fix }.ToEquatableArray(), clash.BlocksEmission));
        }
        return layerLike.ToEquatableArray();
    }

    /// <summary>A member written in the user's own declarations of the network class.</summary>
    private static Clash? Declared(ISymbol member, string className)
    {
        switch (member)
        {
            case IMethodSymbol { MethodKind: MethodKind.Constructor, IsStatic: false } constructor:
                // The generated Net() and Net(int seed): any other parameter list is the user's own constructor.
                bool generated = constructor.Parameters.Length == 0
                    || (constructor.Parameters.Length == 1 && constructor.Parameters[0] is { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 });
                return generated
                    ? new Clash($"declares the constructor '{className}({(constructor.Parameters.Length == 0 ? "" : "int")})'", true,
                        $"remove it: the generated {className}() and {className}(int seed) draw the initial parameters")
                    : null;
            case IMethodSymbol { MethodKind: MethodKind.ExplicitInterfaceImplementation } method:
                return ExplicitlyImplemented(method.ExplicitInterfaceImplementations.FirstOrDefault());
            case IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 } property:
                return ExplicitlyImplemented(property.ExplicitInterfaceImplementations[0]);
            case IEventSymbol { ExplicitInterfaceImplementations.Length: > 0 }:
                return null;
        }
        if (!IsNamed(member) || !Clashes(member)) return null;
        return new Clash($"declares '{member.Name}'", GeneratedMembers.Public.Contains(member.Name), Fix);
    }

    /// <summary>
    /// A member of a base class that the generated one would hide (a compiler warning in the generated file, an
    /// error where warnings are): any accessible member of a generated name, except methods that are overloads of
    /// the generated ones, or that share a name with one of its private methods (whose parameters are its own).
    /// </summary>
    private static Clash? Inherited(ISymbol member, INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        if (member.IsImplicitlyDeclared || !IsNamed(member) || !IsAccessibleFromDerived(member, type)) return null;
        string name = member.Name;
        if (member is IMethodSymbol && GeneratedMembers.PrivateMethods.Contains(name)) return null;
        if (!Clashes(member)) return null;
        return new Clash($"inherits '{name}' from '{baseType.Name}'", GeneratedMembers.Public.Contains(name),
            $"rename it in '{baseType.Name}' or derive from another class");
    }

    /// <summary>True when the generated class declares a member of this one's name that it cannot stand beside.</summary>
    private static bool Clashes(ISymbol member)
    {
        string name = member.Name;
        if (GeneratedMembers.ContractMethods.TryGetValue(name, out ImmutableArray<ImmutableArray<string>> overloads) && member is IMethodSymbol method)
        {
            // Another parameter list (or a generic method) is an overload: C# allows it, and callers choose.
            var parameters = method.Parameters.Select(p => p.RefKind == RefKind.None ? p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : "ref").ToArray();
            return method.Arity == 0 && overloads.Any(generated => parameters.SequenceEqual(generated));
        }
        return GeneratedMembers.IsFixed(name);
    }

    private static Clash? ExplicitlyImplemented(ISymbol? implemented)
    {
        if (implemented?.ContainingType is not { ContainingNamespace: { Name: LayerAttributes.Namespace, ContainingNamespace.IsGlobalNamespace: true } } @interface
            || !GeneratedMembers.ExplicitImplementations.TryGetValue(@interface.Name, out ImmutableHashSet<string>? names)
            || !names.Contains(implemented.Name))
            return null;
        return new Clash($"declares '{@interface.Name}.{implemented.Name}'", @interface.Name == GeneratedMembers.StubInterface,
            $"remove it: the generated class implements {@interface.Name}");
    }

    /// <summary>A member with a name of its own: a field, property, event, ordinary method or nested type (no accessors, operators, indexers).</summary>
    private static bool IsNamed(ISymbol member) => member switch
    {
        IMethodSymbol method => method.MethodKind == MethodKind.Ordinary,
        IPropertySymbol property => !property.IsIndexer,
        IFieldSymbol or IEventSymbol or INamedTypeSymbol => true,
        _ => false,
    };

    private static bool IsAccessibleFromDerived(ISymbol member, INamedTypeSymbol type) => member.DeclaredAccessibility switch
    {
        Accessibility.Private or Accessibility.NotApplicable => false,
        Accessibility.Internal or Accessibility.ProtectedAndInternal => SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, type.ContainingAssembly),
        _ => true,
    };

    /// <summary>
    /// The declarations of the class the user wrote. In the analyzer's compilation the class also has the generated
    /// declaration, whose members would all clash with themselves; it carries the generator's [GeneratedCode].
    /// </summary>
    private static ImmutableArray<TypeDeclarationSyntax> UserDeclarations(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .Where(d => !IsGenerated(d))
            .ToImmutableArray();

    private static bool IsGenerated(TypeDeclarationSyntax declaration) =>
        declaration.AttributeLists.SelectMany(list => list.Attributes).Any(attribute =>
            attribute.Name.ToString().EndsWith("GeneratedCode", StringComparison.Ordinal)
            && attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { Token.ValueText: GeneratorName });

    private const string GeneratorName = "CompiledNets.Generator";

    private static bool IsIn(ImmutableArray<TypeDeclarationSyntax> declarations, SyntaxReference reference) =>
        declarations.Any(d => d.SyntaxTree == reference.SyntaxTree && d.Span.Contains(reference.Span));

    private sealed record Clash(string Description, bool BlocksEmission, string Fix);
}
