using System;
using System.Globalization;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// How many declarations the fuzz test tries and from which seed. Both come from the environment, so the
/// same test is a quick check in CI and a long hunt on a developer's machine:
/// <code>
/// COMPILEDNETS_FUZZ_COUNT=5000 dotnet test tests/CompiledNets.Generator.Tests -c Release --filter "FullyQualifiedName~Fuzz"
/// </code>
/// Case n uses the seed <c>FirstSeed + n</c> and nothing else, so <c>COMPILEDNETS_FUZZ_SEED=1234 COMPILEDNETS_FUZZ_COUNT=1</c>
/// replays exactly the case a failure names as seed 1234.
/// </summary>
internal sealed record FuzzSettings(int Count, int FirstSeed)
{
    public const string CountVariable = "COMPILEDNETS_FUZZ_COUNT";
    public const string SeedVariable = "COMPILEDNETS_FUZZ_SEED";

    /// <summary>Enough to meet every CN id the analyzer reports today and every declaration shape, in about 30 seconds on 2 cores.</summary>
    public const int DefaultCount = 300;

    /// <summary>Fixed, so CI sees the same cases every run and a red build is never a fluke of the draw.</summary>
    public const int DefaultFirstSeed = 1;

    public static FuzzSettings FromEnvironment() => FromEnvironment(CountVariable, DefaultCount, SeedVariable, DefaultFirstSeed);

    /// <summary>The same convention under other names, for the other seeded tests (the property test of generated networks).</summary>
    internal static FuzzSettings FromEnvironment(string countVariable, int defaultCount, string seedVariable, int defaultFirstSeed)
    {
        var settings = new FuzzSettings(Read(countVariable, defaultCount, minimum: 1), Read(seedVariable, defaultFirstSeed, minimum: 0));
        if ((long)settings.FirstSeed + settings.Count - 1 > int.MaxValue)
            throw new InvalidOperationException($"{seedVariable}={settings.FirstSeed} with {countVariable}={settings.Count} runs past the largest seed, {int.MaxValue}.");
        return settings;
    }

    /// <summary>A malformed value fails the test: silently running the default would pass a hunt that never ran.</summary>
    private static int Read(string variable, int fallback, int minimum)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum) return value;
        throw new InvalidOperationException($"{variable}={text} is not a whole number of at least {minimum}.");
    }
}
