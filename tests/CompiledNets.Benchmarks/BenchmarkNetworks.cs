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

/// <summary>LeNet-5 on 28x28 inputs: same-padded first conv, average pooling, tanh (61,706 parameters).</summary>
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
public partial class LeNet5Network
{
}

/// <summary>The TensorFlow tutorial convnet of samples/FashionMnist (3.27 million parameters).</summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(32, 5, Padding = Padding.Same, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(64, 5, Padding = Padding.Same, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(1024, Activation = Activation.ReLU)]
[Dropout(0.4)]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class TutorialConvNetwork
{
}
