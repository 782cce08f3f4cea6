namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>The networks the snapshot and caching tests are built on, as a user would write them.</summary>
internal static class NetworkSources
{
    /// <summary>The seed: the Keras MNIST convnet of design.md, attribute for attribute.</summary>
    public const string Mnist = """
        using CompiledNets;

        namespace Samples;

        [CompiledNetwork]
        [Input(28, 28, 1)]
        [Conv2D(32, 3, Activation = Activation.ReLU)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(10, Activation = Activation.Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class MnistNet { }
        """;

    /// <summary>A multilayer perceptron on flat MNIST: no convolution, no pooling, no Flatten.</summary>
    public const string DenseOnly = """
        using CompiledNets;

        namespace Samples;

        [CompiledNetwork]
        [Input(784)]
        [Dense(128, Activation = Activation.ReLU)]
        [Dense(10, Activation = Activation.Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class DenseNet { }
        """;

    /// <summary>LeNet-5 (LeCun et al., 1998) on 28x28 MNIST as Keras tutorials write it: same-padded first conv, average pooling, tanh.</summary>
    public const string LeNet5 = """
        using CompiledNets;

        namespace Samples;

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
        public partial class LeNet5 { }
        """;

    /// <summary>The TensorFlow tutorial's Fashion-MNIST convnet (samples/FashionMnist): two same-padded 5x5 convs, dropout.</summary>
    public const string TutorialConvNet = """
        using CompiledNets;

        namespace Samples;

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
        public partial class TutorialConvNet { }
        """;

    /// <summary>A network without [Loss]: inference only, its training members throw.</summary>
    public const string InferenceOnly = """
        using CompiledNets;

        namespace Samples;

        [CompiledNetwork]
        [Input(8, 8, 3)]
        [Conv2D(4, 3, Activation = Activation.ReLU)]
        [Flatten]
        [Dense(2)]
        public partial class InferenceNet { }
        """;

    /// <summary>
    /// Calls every generated member of design.md's table with the types it promises, so a missing or
    /// mistyped member is a compile error of the test compilation. <paramref name="network"/> is the class name.
    /// </summary>
    public static string UsesEveryMember(string network) => $$"""
        using System;
        using CompiledNets;

        namespace Samples;

        internal static class {{network}}Usage
        {
            public static float Use(Optimizer optimizer)
            {
                const int total = {{network}}.InputSize + {{network}}.OutputSize + {{network}}.ParameterCount;
                string summary = {{network}}.Summary;
                var net = new {{network}}();
                net.InitializeParameters(seed: 42);
                Span<float> parameters = net.Parameters, gradients = net.Gradients;
                var input = new float[{{network}}.InputSize];
                var output = new float[{{network}}.OutputSize];
                net.Predict(input, output);
                int predicted = net.Classify(input);
                net.PredictBatch(input, output);
                float loss = net.ComputeGradients(input, new[] { 0 });
                loss += net.TrainStep(input, new[] { 0 }, optimizer);
                net.InputGradient(input, label: 0, inputGradient: new float[{{network}}.InputSize]);
                ICompiledNetwork asInterface = net;
                return loss + total + summary.Length + parameters.Length + gradients.Length + predicted + asInterface.ParameterCount;
            }
        }
        """;
}
