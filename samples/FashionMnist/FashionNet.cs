using CompiledNets;

namespace FashionMnist;

/// <summary>
/// The TensorFlow tutorial's convnet ("Build a Convolutional Neural Network using Estimators"), which the
/// Fashion-MNIST benchmark table lists at 0.916 test accuracy. Keras: Conv2D(32, 5, padding='same',
/// activation='relu') → MaxPooling2D(2) → Conv2D(64, 5, padding='same', activation='relu') → MaxPooling2D(2)
/// → Flatten() → Dense(1024, activation='relu') → Dropout(0.4) → Dense(10, activation='softmax').
/// </summary>
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
public partial class FashionNet
{
}
