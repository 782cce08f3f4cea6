using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// The layer attributes of one network, in order. Purely random sequences are almost never valid, and a valid
/// network is what exercises the emitter, so most sequences start as a network that plans (shapes tracked
/// while it is built) and then, half the time, take a few mutations; the rest are random from the start.
/// </summary>
internal static class RandomLayerSequences
{
    public static List<FuzzAttribute> Next(Random random)
    {
        List<FuzzAttribute> layers = random.Chance(0.8) ? Plausible(random) : Chaos(random);
        if (random.Chance(0.5))
        {
            for (int mutations = random.Next(1, 4); mutations > 0; mutations--)
                Mutate(random, layers);
        }
        return layers;
    }

    /// <summary>0 to 8 attributes of any kind, in any order: Input missing, repeated or late, layers that cannot follow one another.</summary>
    private static List<FuzzAttribute> Chaos(Random random)
    {
        var layers = Enumerable.Range(0, random.Next(0, 9)).Select(_ => RandomAttributes.Any(random, wildness: 0.25)).ToList();
        // Without this, most random sequences would stop at CN0001 and never reach the layer checks.
        if (random.Chance(0.5)) layers.Insert(0, RandomAttributes.Of("Input", random, wildness: 0.25));
        return layers;
    }

    /// <summary>An image network (convolutions and pooling, flattened into dense layers) or a dense one, valid as built.</summary>
    private static List<FuzzAttribute> Plausible(Random random)
    {
        var layers = new List<FuzzAttribute>();
        if (random.Chance(0.6))
        {
            AddImageLayers(random, layers);
            // Now and then the network ends on an image or a flattened vector: no dense layer, perhaps no parameters at all.
            if (random.Chance(0.1)) return layers;
            layers.Add(FuzzAttribute.Of("Flatten"));
            if (random.Chance(0.1)) return layers;
        }
        else
        {
            layers.Add(FuzzAttribute.Of("Input", Small(random, 64)));
        }

        for (int hidden = random.Next(0, 3); hidden > 0; hidden--)
            layers.Add(Dense(Small(random, 16), random.Pick(new[] { null, "Activation.ReLU", "Activation.None" })));
        bool softmax = random.Chance(0.6);
        layers.Add(Dense(Small(random, 10), softmax ? "Activation.Softmax" : random.Pick(new[] { null, "Activation.ReLU" })));
        // [Loss] may be written anywhere, even above [Input].
        // Mostly where it fits; now and then after a layer without Softmax (CN0008).
        if (softmax ? random.Chance(0.6) : random.Chance(0.1))
            layers.Insert(random.Next(layers.Count + 1), FuzzAttribute.Of("Loss", "LossFunction.CategoricalCrossEntropy"));
        return layers;
    }

    /// <summary>Input, then up to two blocks of a convolution that fits and perhaps a pooling that fits.</summary>
    private static void AddImageLayers(Random random, List<FuzzAttribute> layers)
    {
        int height = random.Next(1, 17), width = random.Next(1, 17);
        layers.Add(FuzzAttribute.Of("Input", Text(height), Text(width), Small(random, 4)));
        for (int blocks = random.Next(0, 3); blocks > 0; blocks--)
        {
            // Now and then a kernel drawn without looking at the image, which may not fit it (CN0004).
            int kernelHeight = random.Chance(0.1) ? random.Next(1, 6) : random.Next(1, Math.Min(3, height) + 1);
            int kernelWidth = random.Chance(0.7) ? Math.Min(kernelHeight, width) : random.Next(1, Math.Min(3, width) + 1);
            int stride = random.Chance(0.3) ? 2 : 1;
            var arguments = new List<string> { Small(random, 8), Text(kernelHeight) };
            if (kernelWidth != kernelHeight || random.Chance(0.2)) arguments.Add(Text(kernelWidth));
            if (stride != 1 || random.Chance(0.1)) arguments.Add("Stride = " + Text(stride));
            if (random.Chance(0.7)) arguments.Add("Activation = " + random.Pick(new[] { "Activation.ReLU", "Activation.None" }));
            layers.Add(new FuzzAttribute("Conv2D", arguments));
            height = Math.Max(1, (height - kernelHeight) / stride + 1);
            width = Math.Max(1, (width - kernelWidth) / stride + 1);

            int pool = random.Next(2, 4);
            if (pool > height || pool > width || !random.Chance(0.5)) continue;
            // An explicit Stride equal to the pool size is the default spelled out, and valid.
            layers.Add(random.Chance(0.2) ? FuzzAttribute.Of("MaxPool2D", Text(pool), "Stride = " + Text(pool)) : FuzzAttribute.Of("MaxPool2D", Text(pool)));
            height = (height - pool) / pool + 1;
            width = (width - pool) / pool + 1;
        }
    }

    /// <summary>One edit of the kind a user makes by mistake: a bad value, a stray, missing, repeated or misplaced attribute.</summary>
    private static void Mutate(Random random, List<FuzzAttribute> layers)
    {
        int at = layers.Count == 0 ? 0 : random.Next(layers.Count);
        switch (layers.Count == 0 ? 1 : random.Next(6))
        {
            case 0: // same kind, wild arguments
                layers[at] = RandomAttributes.Of(layers[at].Name, random, wildness: 0.7);
                break;
            case 1:
                layers.Insert(random.Next(layers.Count + 1), RandomAttributes.Any(random, wildness: 0.3));
                break;
            case 2:
                layers.RemoveAt(at);
                break;
            case 3:
                layers.Insert(random.Next(layers.Count + 1), layers[at]);
                break;
            case 4 when at + 1 < layers.Count:
                (layers[at], layers[at + 1]) = (layers[at + 1], layers[at]);
                break;
            default: // the attribute moved to a random place, often the end: [Input] after the layers
                FuzzAttribute moved = layers[at];
                layers.RemoveAt(at);
                layers.Insert(random.Chance(0.5) ? layers.Count : random.Next(layers.Count + 1), moved);
                break;
        }
    }

    private static FuzzAttribute Dense(string units, string? activation) =>
        activation is null ? FuzzAttribute.Of("Dense", units) : FuzzAttribute.Of("Dense", units, "Activation = " + activation);

    private static string Small(Random random, int max) => ArgumentValues.Small(random, max);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
