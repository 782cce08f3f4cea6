using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Tests.Planning;

/// <summary>
/// Builds the parse stage's records by hand, with the same defaults as the attributes (Conv2D stride 1,
/// pool stride = pool size), so the planner is tested without Roslyn.
/// </summary>
internal static class Specs
{
    public static LayerSpec Input(int height, int width, int channels) =>
        new(LayerKind.Input, 0, Height: height, Width: width, Channels: channels);

    public static LayerSpec Input(int size) => new(LayerKind.Input, 0, Size: size);

    public static LayerSpec Conv2D(int filters, int kernelSize, int stride = 1, Activation activation = Activation.None) =>
        Conv2D(filters, (kernelSize, kernelSize), stride, activation);

    public static LayerSpec Conv2D(int filters, (int Height, int Width) kernel, int stride = 1, Activation activation = Activation.None) =>
        new(LayerKind.Conv2D, 0, Filters: filters, KernelHeight: kernel.Height, KernelWidth: kernel.Width, Stride: stride, Activation: activation);

    public static LayerSpec MaxPool2D(int poolSize) => new(LayerKind.MaxPool2D, 0, PoolSize: poolSize, Stride: poolSize);

    public static LayerSpec Flatten() => new(LayerKind.Flatten, 0);

    public static LayerSpec Dense(int units, Activation activation = Activation.None) =>
        new(LayerKind.Dense, 0, Units: units, Activation: activation);

    public static LayerSpec Loss(LossFunction function = LossFunction.CategoricalCrossEntropy) =>
        new(LayerKind.Loss, 0, LossFunction: function);

    /// <summary>A network class "Samples.Net" with <paramref name="layers"/> as its attributes, in this order.</summary>
    public static NetworkSpec Network(params LayerSpec[] layers) =>
        new("Samples", "Net", EquatableArray<ContainingType>.Empty,
            layers.Select((layer, index) => layer with { AttributeIndex = index }).ToEquatableArray(),
            EquatableArray<PlanDiagnostic>.Empty);

    /// <summary>The seed network of design.md.</summary>
    public static NetworkSpec Mnist() => Network(
        Input(28, 28, 1),
        Conv2D(32, 3, activation: Activation.ReLU),
        MaxPool2D(2),
        Flatten(),
        Dense(10, Activation.Softmax),
        Loss());
}
