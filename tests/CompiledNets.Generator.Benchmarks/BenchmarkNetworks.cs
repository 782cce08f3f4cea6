using System;

namespace CompiledNets.Generator.Benchmarks;

/// <summary>The networks whose generator cost is measured.</summary>
public enum BenchmarkNetwork
{
    /// <summary>The seed network (the Keras MNIST example): Conv2D, MaxPool2D, Flatten, Dense.</summary>
    Seed,

    /// <summary>LeNet-5: same padding, tanh, average pooling, three dense layers.</summary>
    LeNet5,

    /// <summary>The TensorFlow tutorial convnet: two 5x5 same-padded convolutions, a 1024-unit dense layer, dropout.</summary>
    TutorialConvNet,
}

/// <summary>The source file a user would write for each <see cref="BenchmarkNetwork"/>: one network class, nothing else.</summary>
internal static class BenchmarkNetworks
{
    public static string Source(BenchmarkNetwork network) => network switch
    {
        BenchmarkNetwork.Seed => Declare("""
            [Input(28, 28, 1)]
            [Conv2D(32, 3, Activation = Activation.ReLU)]
            [MaxPool2D(2)]
            [Flatten]
            [Dense(10, Activation = Activation.Softmax)]
            [Loss(LossFunction.CategoricalCrossEntropy)]
            """, "SeedNet"),
        BenchmarkNetwork.LeNet5 => Declare("""
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
            """, "LeNet5"),
        BenchmarkNetwork.TutorialConvNet => Declare("""
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
            """, "TutorialConvNet"),
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, null),
    };

    /// <summary>
    /// A file in the same compilation that has nothing to do with the network; the warm benchmark edits it, as a
    /// user edits the rest of their project while the network stays as it is.
    /// </summary>
    public static string Unrelated(int version) => $$"""
        namespace Benchmarks;

        public static class Unrelated
        {
            public static int Version => {{version}};
        }
        """;

    private static string Declare(string layers, string name) => $$"""
        using CompiledNets;

        namespace Benchmarks;

        [CompiledNetwork]
        {{layers}}
        public partial class {{name}} { }
        """;
}
