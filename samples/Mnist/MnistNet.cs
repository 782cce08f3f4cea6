using CompiledNets;

namespace Mnist;

/// <summary>
/// The Keras MNIST CNN, declared with attributes: the generator writes its forward and backward passes.
/// Keras: Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)) → MaxPooling2D((2, 2)) → Flatten()
/// → Dense(10, activation='softmax'), categorical cross-entropy.
/// </summary>
[CompiledNetwork]
[Input(28, 28, 1)]
[Conv2D(32, 3, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation = Activation.Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class MnistNet
{
}
