namespace CompiledNets.Generator.Tests.Properties;

/// <summary>
/// Which layer options the random networks may use: one switch per feature, so a feature the generator gains is
/// turned on here and nowhere else (<see cref="RandomNetworks"/> already computes its shapes). <see cref="Supported"/>
/// is what the generator accepts, today every option of design.md; turning a switch off narrows a failure down.
/// </summary>
/// <param name="SamePadding">Conv2D with <c>Padding = Padding.Same</c> (Keras: output <c>ceil(input / stride)</c>).</param>
/// <param name="PoolStride">Pooling with a stride other than the pool size: overlapping (pool 3, stride 2) or gapped windows.</param>
/// <param name="AveragePool">[AveragePool2D] beside [MaxPool2D].</param>
/// <param name="MoreActivations">LeakyReLU, Sigmoid and Tanh beside None and ReLU.</param>
/// <param name="OtherLosses">BinaryCrossEntropy (on a Sigmoid output) and MeanSquaredError beside CategoricalCrossEntropy, all trained on class labels.</param>
/// <param name="Dropout">[Dropout] layers. A training pass draws a fresh mask each call, so finite differences mean nothing there:
/// networks with Dropout get the inference checks only (PredictBatch against Predict), never the gradient checks.</param>
internal sealed record NetworkFeatures(
    bool SamePadding,
    bool PoolStride,
    bool AveragePool,
    bool MoreActivations,
    bool OtherLosses,
    bool Dropout)
{
    /// <summary>What the generator plans and emits.</summary>
    public static readonly NetworkFeatures Supported = new(
        SamePadding: true,
        PoolStride: true,
        AveragePool: true,
        MoreActivations: true,
        OtherLosses: true,
        Dropout: true);

    /// <summary>Every option of design.md.</summary>
    public static readonly NetworkFeatures All = new(
        SamePadding: true,
        PoolStride: true,
        AveragePool: true,
        MoreActivations: true,
        OtherLosses: true,
        Dropout: true);
}
