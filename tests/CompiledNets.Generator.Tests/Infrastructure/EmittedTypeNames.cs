using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using EmitTypes = CompiledNets.Generator.Emit.Types;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>
/// The types the generated code names, read from the emitters' own list (<c>Emit/Types.cs</c>), so that the tests
/// of user types named like them follow when an emitter starts using a new one.
/// </summary>
internal static class EmittedTypeNames
{
    /// <summary>"global::System.Runtime.CompilerServices.Unsafe", ..., in ordinal order (the fuzz draws from them by index).</summary>
    public static readonly IReadOnlyList<string> Qualified =
        typeof(EmitTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToArray();

    /// <summary>"Unsafe", "Vector256", "Optimizer", ...</summary>
    public static IEnumerable<string> Simple => Qualified.Select(name => name.Substring(name.LastIndexOf('.') + 1));

    /// <summary>"System.Runtime.CompilerServices", "CompiledNets", ...: the namespaces the generated code takes types from.</summary>
    public static IEnumerable<string> Namespaces =>
        Qualified.Select(name => name.Substring("global::".Length, name.LastIndexOf('.') - "global::".Length)).Distinct(StringComparer.Ordinal);

    /// <summary>"System", "CompiledNets": a class of such a name would capture a name that starts with it, unless it starts at global::.</summary>
    public static IEnumerable<string> RootNamespaces => Namespaces.Select(ns => ns.Split('.')[0]).Distinct(StringComparer.Ordinal);
}
