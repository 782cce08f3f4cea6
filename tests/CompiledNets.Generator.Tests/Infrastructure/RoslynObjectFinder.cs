using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>
/// Walks an object graph through every field (public or not, including those of base classes and of
/// collections' backing arrays) and reports where it reaches a Roslyn object that must never be cached by an
/// incremental pipeline step: it would keep a whole compilation alive and defeat the cache's equality checks.
/// </summary>
internal static class RoslynObjectFinder
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation),
        typeof(SemanticModel), typeof(AttributeData), typeof(TypedConstant),
    };

    /// <summary>More objects than any model should hold: past this, the walk is surely inside something it should not be.</summary>
    private const int MaxObjects = 1_000_000;

    /// <summary>Paths such as <c>NetworkPlan.Layers._items.array[0]</c> to each forbidden object; empty when there is none.</summary>
    public static IReadOnlyList<string> Find(object? root)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object Value, string Path)>();
        if (root is not null) pending.Push((root, root.GetType().Name));

        while (pending.Count > 0)
        {
            var (value, path) = pending.Pop();
            Type type = value.GetType();
            if (Forbidden.Any(t => t.IsAssignableFrom(type)))
            {
                found.Add($"{path} ({type.Name})");
                continue;
            }
            if (IsLeaf(type) || (!type.IsValueType && !visited.Add(value)))
                continue;
            if (visited.Count > MaxObjects)
                throw new InvalidOperationException($"More than {MaxObjects} objects reachable from {root!.GetType().Name}; stopped at {path}.");

            if (value is Array array)
            {
                int index = 0;
                foreach (object? element in array)
                {
                    if (element is not null) pending.Push((element, $"{path}[{index}]"));
                    index++;
                }
                continue;
            }
            foreach (FieldInfo field in InstanceFields(type))
            {
                if (field.GetValue(value) is { } child) pending.Push((child, $"{path}.{field.Name}"));
            }
        }
        return found;
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type.IsPointer || type == typeof(string) || type == typeof(decimal) || typeof(Type).IsAssignableFrom(type);

    private static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.FieldType.IsPointer && !field.FieldType.IsByRefLike) yield return field;
            }
        }
    }
}
