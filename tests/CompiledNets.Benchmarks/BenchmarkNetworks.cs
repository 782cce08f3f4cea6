using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>The seed network: the Keras MNIST CNN.</summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(32, 3, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SeedNetwork
{
}
