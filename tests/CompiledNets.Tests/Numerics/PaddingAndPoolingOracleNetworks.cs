// The oracle networks of Padding.Same, AveragePool2D and overlapping pools (stride < pool size).
using System;
using System.Collections.Generic;
using CompiledNets;

namespace CompiledNets.Tests.Numerics;

internal static partial class OracleNetworks
{
    static partial void AddPaddingAndPoolingNetworks(List<(string, Func<ICompiledNetwork>)> networks)
    {
        networks.Add(("conv_same5x5", () => new ConvSame5x5Net()));
        networks.Add(("avgpool", () => new AvgPoolNet()));
        networks.Add(("same_stride2_pool3s2", () => new SameStride2Pool3s2Net()));
    }
}

/// <summary>The oracle's "conv_same5x5": 'same' padding of 2 on every side keeps 28x28.</summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(8, 5, Padding = Padding.Same, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class ConvSame5x5Net
{
}

/// <summary>The oracle's "avgpool": the seed's shape with 8 filters and average pooling.</summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(8, 3, Activation = Activation.ReLU)]
[AveragePool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class AvgPoolNet
{
}

/// <summary>
/// The oracle's "same_stride2_pool3s2": Keras 'same' with stride 2 pads 16x16 asymmetrically (0 top/left, 1
/// bottom/right) to an 8x8 output, then a 3x3 max pool with stride 2 whose windows overlap (8x8 to 3x3).
/// </summary>
[CompiledNetwork]
[Input(16, 16, 1)]
[Conv2D(4, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.ReLU)]
[MaxPool2D(3, Stride = 2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SameStride2Pool3s2Net
{
}
