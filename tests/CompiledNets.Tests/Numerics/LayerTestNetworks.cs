using CompiledNets;

namespace CompiledNets.Tests.Numerics;

// Networks for the layers beyond the seed's: padding, pooling strides, average pooling, every activation,
// dropout, and the binary cross-entropy and squared-error losses. Shapes in the comments are checked by
// FiniteDifferenceTests' parameter layouts.

/// <summary>
/// LeNet-5 as Keras tutorials write it for 28x28 MNIST (61,706 parameters). Tanh and average pooling are
/// smooth, so every group, conv kernels included, is checked against central differences.
/// 28x28x1 -conv 5x5 same, 6-> 28x28x6 -avg 2-> 14x14x6 -conv 5x5, 16-> 10x10x16 -avg 2-> 5x5x16 = 400 -> 120 -> 84 -> 10
/// </summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Tanh)]
[AveragePool2D(2)]
[Conv2D(16, 5, Activation = Activation.Tanh)]
[AveragePool2D(2)]
[Flatten]
[Dense(120, Activation = Activation.Tanh)]
[Dense(84, Activation = Activation.Tanh)]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class LeNet5Net
{
}

/// <summary>
/// Smooth, with Keras's asymmetric Same padding (stride 2 over an even size: the extra row and column at the
/// bottom/right), a non-square kernel, overlapping average pooling (3, stride 2) and Same padding on a 2x2 input.
/// 10x12x3 -conv 3x4 s2 same (pad rows 0/1, columns 1/1), 5-> 5x6x5 -avg 3 s2-> 2x2x5 -conv 2x2 same (pad 0/1), 7-> 2x2x7 = 28 -> 5
/// </summary>
[CompiledNetwork]
[Input(10, 12, 3)]
[Conv2D(5, 3, 4, Stride = 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
[AveragePool2D(3, Stride = 2)]
[Conv2D(7, 2, Padding = Padding.Same, Activation = Activation.Tanh)]
[Flatten]
[Dense(5, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SmoothSamePaddingNet
{
}

/// <summary>
/// Leaky ReLU, Same padding with a stride, overlapping max pooling (3, stride 2) whose windows share inputs.
/// 13x11x2 -conv 3x3 s2 same, 6-> 7x6x6 -max 3 s2-> 3x2x6 = 36 -> 9 (sigmoid) -> 4
/// </summary>
[CompiledNetwork]
[Input(13, 11, 2)]
[Conv2D(6, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.LeakyReLU)]
[MaxPool2D(3, Stride = 2)]
[Flatten]
[Dense(9, Activation = Activation.Sigmoid)]
[Dense(4, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class LeakyOverlapNet
{
}

/// <summary>One sigmoid unit and binary cross-entropy: labels 0 and 1. 12 -> 8 (tanh) -> 1</summary>
[CompiledNetwork]
[Input(12)]
[Dense(8, Activation = Activation.Tanh)]
[Dense(1, Activation = Activation.Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class BinaryNet
{
}

/// <summary>Several sigmoid units (multi-label) and binary cross-entropy. 6x6x1 -conv 3x3, 3 (leaky)-> 4x4x3 = 48 -> 4</summary>
[CompiledNetwork]
[Input(6, 6, 1)]
[Conv2D(3, 3, Activation = Activation.LeakyReLU)]
[Flatten]
[Dense(4, Activation = Activation.Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class MultiLabelNet
{
}

/// <summary>Regression: a linear output and mean squared error. 10 -> 6 (sigmoid) -> 3</summary>
[CompiledNetwork]
[Input(10)]
[Dense(6, Activation = Activation.Sigmoid)]
[Dense(3)]
[Loss(LossFunction.MeanSquaredError)]
public partial class RegressionNet
{
}

/// <summary>Squared error of a softmax output (Keras allows it): the gradient goes through the softmax Jacobian. 10 -> 4</summary>
[CompiledNetwork]
[Input(10)]
[Dense(4, Activation = Activation.Softmax)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SoftmaxRegressionNet
{
}

/// <summary>Dropout between two dense layers. 20 -> 30 (ReLU) -> dropout 0.5 -> 3</summary>
[CompiledNetwork]
[Input(20)]
[Dense(30, Activation = Activation.ReLU)]
[Dropout(0.5)]
[Dense(3, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class DropoutNet
{
}

/// <summary>DropoutNet without its dropout: the same parameter layout, for comparing inference.</summary>
[CompiledNetwork]
[Input(20)]
[Dense(30, Activation = Activation.ReLU)]
[Dense(3, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class DropoutFreeTwinNet
{
}

/// <summary>Dropout straight on the input, so each kernel-gradient row shows one mask value. 64 -> dropout 0.25 -> 2</summary>
[CompiledNetwork]
[Input(64)]
[Dropout(0.25)]
[Dense(2, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class InputDropoutNet
{
}

/// <summary>
/// Convolutions whose input gradient is gathered per input pixel (stride 1, 16 filters): Same padding, a 3x2
/// kernel (asymmetric column padding), an odd width and 5 input channels (a block of 4 and a remainder), smooth.
/// 7x6x5 -conv 3x3 same, 16-> 7x6x16 -conv 3x2 same, 16-> 7x6x16 = 672 -> 3
/// </summary>
[CompiledNetwork]
[Input(7, 6, 5)]
[Conv2D(16, 3, Padding = Padding.Same, Activation = Activation.Tanh)]
[Conv2D(16, 3, 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
[Flatten]
[Dense(3, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class GatheredGradientNet
{
}

/// <summary>
/// Two convolutions whose input gradients are computed as forward convolutions with the kernel flipped and
/// transposed (stride 1, 32 input channels: whole blocks of two vectors on AVX2 and AVX-512, an even height), in
/// tiles of three columns: the second conv's input is 8 wide (a last tile of 2 columns), the third's 7 (a last tile
/// of 1), and the third has a 3x2 kernel so a flip of the wrong axis shows; smooth.
/// 4x9x3 -conv 3x2 valid, 32-> 2x8x32 -conv 1x2 valid, 32-> 2x7x32 -conv 3x2 same, 16-> 2x7x16 = 224 -> 3
/// </summary>
[CompiledNetwork]
[Input(4, 9, 3)]
[Conv2D(32, 3, 2, Activation = Activation.Tanh)]
[Conv2D(32, 1, 2, Activation = Activation.Tanh)]
[Conv2D(16, 3, 2, Padding = Padding.Same, Activation = Activation.Sigmoid)]
[Flatten]
[Dense(3, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class TransposedGradientNet
{
}

/// <summary>
/// A conv with its max pool fused whose weight gradient reads the pool's gradient and arg-max positions
/// (BackwardWeightsPooled: 8 taps of a 1x1 kernel over 8 channels), behind another conv, so the pool's backward
/// pass still runs for that conv's input gradient; 16 filters (two AVX2 vectors, one 512-bit vector); smooth
/// activations, so only the windows' maxima switching are kinks.
/// 8x8x1 -conv 3x3, 8-> 6x6x8 -conv 1x1, 16-> 6x6x16 -pool 2-> 3x3x16 = 144 -> 3
/// </summary>
[CompiledNetwork]
[Input(8, 8, 1)]
[Conv2D(8, 3, Activation = Activation.Tanh)]
[Conv2D(16, 1, Activation = Activation.Tanh)]
[MaxPool2D(2)]
[Flatten]
[Dense(3, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class PooledGradientNet
{
}

/// <summary>
/// A dense layer with few units and a large kernel (chunks of 8 samples) before two sigmoid units: the sigmoid of a
/// span shorter than a vector takes other code than a longer one, so PredictBatch must apply it per sample.
/// (12, 12, 1) -> conv 3x3, 16 -> flatten (1600) -> 12 -> 2 (sigmoid, squared error: binary cross-entropy would fuse the sigmoid)
/// </summary>
[CompiledNetwork]
[Input(12, 12, 1)]
[Conv2D(16, 3)]
[Flatten]
[Dense(12, Activation = Activation.Tanh)]
[Dense(2, Activation = Activation.Sigmoid)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ChunkedSigmoidNet
{
}
