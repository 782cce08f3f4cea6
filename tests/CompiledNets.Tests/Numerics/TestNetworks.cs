using CompiledNets;

namespace CompiledNets.Tests.Numerics;

/// <summary>The seed network (the Keras MNIST CNN), as the oracle's "seed" configuration.</summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(32, 3, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SeedNet
{
}

/// <summary>The oracle's "mlp" configuration: 784-128-10 (PyTorch's cross-entropy applies the softmax we declare).</summary>
[CompiledNetwork]
[Input(784)]
[Dense(128, Activation = Activation.ReLU)]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class MlpNet
{
}

/// <summary>The oracle's "conv_stride2": a strided valid convolution (28x28 to 13x13) straight into the dense layer.</summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(8, 3, Stride = 2, Activation = Activation.ReLU)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class ConvStride2Net
{
}

/// <summary>The oracle's "rgb32_twoconv": three input channels and two convolutions, so training back-propagates through a conv.</summary>
[CompiledNetwork]
[Input(32, 32, 3)]
[Conv2D(16, 3, Activation = Activation.ReLU)]
[Conv2D(32, 3, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class Rgb32TwoConvNet
{
}

/// <summary>The oracle's "nonsquare": height 20 != width 30 and a 3x5 kernel, so any swapped height/width index shows.</summary>
[CompiledNetwork]
[Input(20, 30, 2)]
[Conv2D(4, 3, 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class NonSquareNet
{
}

/// <summary>
/// Small shapes that exercise every tail of the kernels: channel counts that are not multiples of any
/// vector width, a stride, uncovered pooling borders, two convolutions (so a conv input gradient is
/// needed in training), and a hidden dense layer.
/// </summary>
[CompiledNetwork]
[Input(11, 9, 3)]
[Conv2D(7, 3, 2, Activation = Activation.ReLU)]
[Conv2D(21, 2, Stride = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(13, Activation = Activation.ReLU)]
[Dense(5, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class OddShapesNet
{
}

/// <summary>Wide layers: channel and unit counts above one register block (8 x 16 floats), to exercise the block loops.</summary>
[CompiledNetwork]
[Input(6, 6, 2)]
[Conv2D(150, 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(140, Activation = Activation.ReLU)]
[Dense(3, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class WideNet
{
}

/// <summary>
/// No ReLU and no max pooling: the loss is smooth in every parameter, so central differences converge and
/// the convolution gradients (two convs, a stride, odd channel counts) can be checked tightly.
/// </summary>
[CompiledNetwork]
[Input(9, 10, 3)]
[Conv2D(5, 3)]
[Conv2D(11, 2, 3, Stride = 2)]
[Flatten]
[Dense(6)]
[Dense(4, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SmoothConvNet
{
}

/// <summary>Smooth (no kinks) with channel and unit counts above one register block, for the block loops.</summary>
[CompiledNetwork]
[Input(5, 5, 2)]
[Conv2D(150, 2)]
[Flatten]
[Dense(140)]
[Dense(3, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class WideSmoothNet
{
}
