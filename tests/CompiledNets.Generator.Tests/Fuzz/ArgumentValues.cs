using System;
using System.Globalization;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// Attribute arguments as the C# text a user types: mostly small valid values and, with probability
/// <c>wildness</c>, values at the edges of the planner's arithmetic.
/// </summary>
internal static class ArgumentValues
{
    /// <summary>CN0003 territory, including int.MinValue, whose negation overflows.</summary>
    private static readonly string[] NonPositive = { "0", "0", "-1", "-3", "-100000", "int.MinValue" };

    /// <summary>
    /// Large but possibly valid sizes (100000), sizes whose products overflow int (46341², 65536²), and
    /// Array.MaxLength (2147483591) and one past it: CN0017, or a huge network that must still compile.
    /// </summary>
    private static readonly string[] Huge =
        { "100000", "65536", "46341", "1 << 20", "1000000000", "2147483591", "2147483592", "2147483647", "int.MaxValue" };

    private static readonly string[] RatesInside = { "0", "0.0", "0.1", "0.25", "0.5", "0.999" };

    /// <summary>CN0015 territory: 1 itself, above, below, and the doubles comparisons get wrong (NaN).</summary>
    private static readonly string[] RatesOutside =
        { "1", "1.0", "1.5", "-0.1", "-1", "100000", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "double.MaxValue" };

    private static readonly string[] Activations =
        { "Activation.None", "Activation.ReLU", "Activation.LeakyReLU", "Activation.Sigmoid", "Activation.Tanh", "Activation.Softmax" };

    private static readonly string[] Paddings = { "Padding.Valid", "Padding.Same" };

    private static readonly string[] LossFunctions =
        { "LossFunction.CategoricalCrossEntropy", "LossFunction.BinaryCrossEntropy", "LossFunction.MeanSquaredError" };

    /// <summary>An integer argument: 1..<paramref name="validMax"/>, or with probability <paramref name="wildness"/> an edge.</summary>
    public static string Int(Random random, int validMax, double wildness)
    {
        if (!random.Chance(wildness)) return Small(random, validMax);
        return random.Chance(0.5) ? random.Pick(NonPositive) : random.Pick(Huge);
    }

    public static string Small(Random random, int max) => random.Next(1, max + 1).ToString(CultureInfo.InvariantCulture);

    public static string DropoutRate(Random random, double wildness) => random.Pick(random.Chance(wildness) ? RatesOutside : RatesInside);

    public static string Activation(Random random, double wildness) => Enum(random, wildness, Activations, "Activation");

    public static string Padding(Random random, double wildness) => Enum(random, wildness, Paddings, "Padding");

    public static string LossFunction(Random random, double wildness) => Enum(random, wildness, LossFunctions, "LossFunction");

    /// <summary>A named member, or now and then a value the enum does not define, which a cast lets a user write.</summary>
    private static string Enum(Random random, double wildness, string[] members, string type) =>
        random.Chance(wildness / 4) ? $"({type})" + random.Pick(new[] { "42", "(-1)" }) : random.Pick(members);
}
