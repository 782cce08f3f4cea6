using System;
using System.Collections.Generic;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// One layer attribute to write: its short name ("Conv2D") and its arguments as source text, positional
/// ones first, then named ones ("Stride = 2").
/// </summary>
internal sealed record FuzzAttribute(string Name, IReadOnlyList<string> Arguments)
{
    public static FuzzAttribute Of(string name, params string[] arguments) => new(name, arguments);

    /// <summary>
    /// The attribute as written inside brackets, in one of the spellings C# accepts for the same attribute
    /// (qualified, with the Attribute suffix, empty parentheses): the parser must not care which.
    /// </summary>
    public string Render(Random random)
    {
        string name = Name;
        if (random.Chance(0.05)) name += "Attribute";
        if (random.Chance(0.05)) name = "CompiledNets." + name;
        if (Arguments.Count == 0) return random.Chance(0.2) ? name + "()" : name;
        return $"{name}({string.Join(", ", Arguments)})";
    }
}
