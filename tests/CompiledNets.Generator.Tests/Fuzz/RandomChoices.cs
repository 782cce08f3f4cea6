using System;
using System.Collections.Generic;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>The few ways the fuzzer draws from a seeded <see cref="Random"/>.</summary>
internal static class RandomChoices
{
    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];
}
