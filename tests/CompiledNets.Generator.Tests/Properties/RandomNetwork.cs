using System.Collections.Generic;
using System.Linq;

namespace CompiledNets.Generator.Tests.Properties;

/// <summary>A tensor of one sample as the test computes it: (height, width, channels), or a flat vector.</summary>
internal readonly record struct TensorShape(int Height, int Width, int Channels, bool IsFlat)
{
    public static TensorShape Image(int height, int width, int channels) => new(height, width, channels, false);

    public static TensorShape Flat(int size) => new(1, 1, size, true);

    public int Size => Height * Width * Channels;

    public override string ToString() => IsFlat ? $"({Channels})" : $"({Height}, {Width}, {Channels})";
}

/// <summary>A kernel or a bias: where it lies in <c>Parameters</c> (Keras layout, layer order) and how long it is.</summary>
internal sealed record ParameterGroup(string Name, int Offset, int Length, bool IsBias);

/// <summary>
/// One network drawn by <see cref="RandomNetworks"/>, valid by construction: its declaration, and what the test
/// expects of it, computed from the layers without the generator: shapes, parameter layout, loss.
/// </summary>
/// <param name="Seed">All it takes to draw it again (with the same <see cref="NetworkFeatures"/>).</param>
/// <param name="Source">The whole file a user would write.</param>
/// <param name="Trace">The layers with the shape after each: "(9, 7, 2) -Conv2D 3x2 stride 2, 5 filters, ReLU-> (4, 3, 5)".</param>
/// <param name="Classes">How many labels the loss takes: the output units, or 2 for a single sigmoid or regression unit (label = target).</param>
/// <param name="HasDropout">Whether a training pass is random (no finite differences then).</param>
internal sealed record RandomNetwork(
    int Seed,
    string Namespace,
    string ClassName,
    string Source,
    IReadOnlyList<string> Trace,
    TensorShape Input,
    TensorShape Output,
    IReadOnlyList<ParameterGroup> Parameters,
    LossFunction Loss,
    int Classes,
    bool HasDropout)
{
    public string FullName => Namespace + "." + ClassName;

    public int ParameterCount => Parameters.Sum(p => p.Length);
}
