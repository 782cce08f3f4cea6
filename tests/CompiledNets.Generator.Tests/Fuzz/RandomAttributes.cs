using System;
using System.Collections.Generic;
using System.Linq;
using static CompiledNets.Generator.Tests.Fuzz.ArgumentValues;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// Random layer attributes of every kind, every constructor and every named option, with arguments whose
/// wildness (the chance of an edge value per argument) the caller chooses.
/// </summary>
internal static class RandomAttributes
{
    public static readonly string[] Kinds = { "Input", "Conv2D", "MaxPool2D", "AveragePool2D", "Flatten", "Dense", "Dropout", "Loss" };

    /// <summary>How often each kind turns up in a random sequence, in the order of <see cref="Kinds"/>: layers more than Input and Loss.</summary>
    private static readonly int[] Weights = { 12, 20, 12, 6, 12, 22, 6, 10 };

    public static FuzzAttribute Any(Random random, double wildness)
    {
        int draw = random.Next(Weights.Sum());
        for (int i = 0; i < Kinds.Length; i++)
        {
            if (draw < Weights[i]) return Of(Kinds[i], random, wildness);
            draw -= Weights[i];
        }
        throw new InvalidOperationException("The weights do not cover the draw.");
    }

    public static FuzzAttribute Of(string kind, Random random, double wildness) => kind switch
    {
        "Input" => Input(random, wildness),
        "Conv2D" => Conv2D(random, wildness),
        "MaxPool2D" or "AveragePool2D" => Pool(kind, random, wildness),
        "Flatten" => FuzzAttribute.Of("Flatten"),
        "Dense" => Dense(random, wildness),
        "Dropout" => FuzzAttribute.Of("Dropout", DropoutRate(random, wildness)),
        "Loss" => FuzzAttribute.Of("Loss", LossFunction(random, wildness)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a layer attribute."),
    };

    /// <summary>An image input (three arguments) or a flat one (one argument).</summary>
    private static FuzzAttribute Input(Random random, double wildness) =>
        random.Chance(0.5)
            ? FuzzAttribute.Of("Input", Int(random, 16, wildness), Int(random, 16, wildness), Int(random, 4, wildness))
            : FuzzAttribute.Of("Input", Int(random, 64, wildness));

    /// <summary>A square kernel (two positional arguments) or a rectangular one (three), with any of the named options in any order.</summary>
    private static FuzzAttribute Conv2D(Random random, double wildness)
    {
        var positional = new List<string> { Int(random, 8, wildness), Int(random, 3, wildness) };
        if (random.Chance(0.3)) positional.Add(Int(random, 3, wildness));
        var named = new List<string>();
        if (random.Chance(0.3)) named.Add("Stride = " + Int(random, 2, wildness));
        if (random.Chance(0.2)) named.Add("Padding = " + Padding(random, wildness));
        if (random.Chance(0.6)) named.Add("Activation = " + Activation(random, wildness));
        return new FuzzAttribute("Conv2D", positional.Concat(Shuffled(random, named)).ToArray());
    }

    private static FuzzAttribute Pool(string kind, Random random, double wildness) =>
        random.Chance(0.3)
            ? FuzzAttribute.Of(kind, Int(random, 3, wildness), "Stride = " + Int(random, 3, wildness))
            : FuzzAttribute.Of(kind, Int(random, 3, wildness));

    private static FuzzAttribute Dense(Random random, double wildness) =>
        random.Chance(0.6)
            ? FuzzAttribute.Of("Dense", Int(random, 16, wildness), "Activation = " + Activation(random, wildness))
            : FuzzAttribute.Of("Dense", Int(random, 16, wildness));

    private static List<string> Shuffled(Random random, List<string> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }
}
