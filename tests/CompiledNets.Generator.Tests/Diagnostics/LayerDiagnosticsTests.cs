using CompiledNets.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Generator.Tests.Diagnostics;

/// <summary>
/// Each problem with a network's layers is one CN error at the offending attribute, naming the layer and the
/// shapes. The same source also uses every generated member: an invalid network still gets (throwing) members,
/// so the user sees our one error and no "member not found" cascade.
/// </summary>
public sealed class LayerDiagnosticsTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;

    [Fact]
    public void CN0001_MissingInput() =>
        DiagnosticAssert.ReportsOnly("""
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class [|Net|] { }
            """, "CN0001", Error, new[] { "Network 'Net' has no [Input]", "add [Input(height, width, channels)] or [Input(size)]" }, Usage);

    [Fact]
    public void CN0002_DuplicateInputIsReportedAtTheSecondOne() =>
        AssertLayerDiagnostic("CN0002", new[] { "Network 'Net' has more than one [Input]", "remove this one" },
            "[Input(784)]", "[[|Input(28, 28, 1)|]]", "[Dense(10)]");

    [Theory]
    [InlineData("[[|Input(0)|]]", "[Dense(10)]", "Input: size is 0, but must be at least 1")]
    [InlineData("[[|Input(28, -1, 1)|]]", "[Dense(10)]", "Input: width is -1, but must be at least 1")]
    [InlineData("[Input(28, 28, 1)]", "[[|Conv2D(0, 3)|]]", "Conv2D #0: filters is 0, but must be at least 1")]
    [InlineData("[Input(28, 28, 1)]", "[[|Conv2D(8, 3, 0)|]]", "Conv2D #0: kernel width is 0, but must be at least 1")]
    [InlineData("[Input(28, 28, 1)]", "[[|Conv2D(8, 3, Stride = 0)|]]", "Conv2D #0: stride is 0, but must be at least 1")]
    [InlineData("[Input(28, 28, 1)]", "[[|MaxPool2D(2, Stride = -2)|]]", "MaxPool2D #0: stride is -2, but must be at least 1")]
    [InlineData("[Input(784)]", "[[|Dense(0)|]]", "Dense #0: units is 0, but must be at least 1")]
    // The stride defaults to the pool size: one diagnostic for the pool size, none for the defaulted stride.
    [InlineData("[Input(28, 28, 1)]", "[[|MaxPool2D(0)|]]", "MaxPool2D #0: pool size is 0, but must be at least 1")]
    public void CN0003_NonPositiveArgument(string input, string layer, string message) =>
        AssertLayerDiagnostic("CN0003", new[] { message }, input, layer);

    [Theory]
    [InlineData("[Input(4, 4, 1)]", "[[|Conv2D(8, 5)|]]", "Conv2D #0: the kernel window 5x5 does not fit its input of shape (4, 4, 1)")]
    [InlineData("[Input(8, 6, 1)]", "[[|Conv2D(8, 3, 7)|]]", "Conv2D #0: the kernel window 3x7 does not fit its input of shape (8, 6, 1)")]
    [InlineData("[Input(6, 6, 1)][Conv2D(2, 5)]", "[[|MaxPool2D(3)|]]", "MaxPool2D #1: the pool window 3x3 does not fit its input of shape (2, 2, 2)")]
    public void CN0004_WindowLargerThanInput(string before, string layer, string message) =>
        AssertLayerDiagnostic("CN0004", new[] { message, "use a smaller window or a larger input" }, before, layer);

    [Theory]
    [InlineData("[Input(784)]", "[[|Conv2D(8, 3)|]]", "Conv2D #0 needs an (height, width, channels) input, but its input is the flat vector (784)")]
    [InlineData("[Input(28, 28, 1)][Flatten]", "[[|MaxPool2D(2)|]]", "MaxPool2D #1 needs an (height, width, channels) input, but its input is the flat vector (784)")]
    [InlineData("[Input(10)]", "[[|Flatten|]]", "Flatten #0 needs an (height, width, channels) input, but its input is the flat vector (10)")]
    public void CN0005_NeedsImageInput(string before, string layer, string message) =>
        AssertLayerDiagnostic("CN0005", new[] { message, "move it before [Flatten]" }, before, layer);

    [Fact]
    public void CN0006_DenseOnAnImageWithoutFlatten() =>
        AssertLayerDiagnostic("CN0006", new[] { "Dense #1 receives the (height, width, channels) tensor (26, 26, 4); add [Flatten] before it" },
            "[Input(28, 28, 1)]", "[Conv2D(4, 3)]", "[[|Dense(10)|]]");

    [Theory]
    [InlineData("[Input(784)]", "[[|Dense(128, Activation = Activation.Softmax)|]]", "[Dense(10)]", "Dense #0")]
    [InlineData("[Input(8, 8, 1)]", "[[|Conv2D(4, 3, Activation = Activation.Softmax)|]]", "[Flatten][Dense(2)]", "Conv2D #0")]
    public void CN0007_SoftmaxBeforeTheLastLayer(string input, string layer, string after, string label) =>
        AssertLayerDiagnostic("CN0007", new[] { label + " uses Activation.Softmax but is not the last layer" }, input, layer, after);

    [Theory]
    [InlineData("[Input(784)][Dense(10, Activation = Activation.ReLU)]", "Dense #0 has Activation.ReLU")]
    [InlineData("[Input(784)][Dense(10)]", "Dense #0 has Activation.None")]
    [InlineData("[Input(4, 4, 1)][Flatten]", "Flatten #0 has Activation.None")]
    [InlineData("[Input(4, 4, 3)][MaxPool2D(2)]", "MaxPool2D #0 has Activation.None")]
    public void CN0008_CrossEntropyWithoutSoftmax(string layers, string lastLayer) =>
        AssertLayerDiagnostic("CN0008",
            new[] { "LossFunction.CategoricalCrossEntropy needs Softmax on the last layer, but " + lastLayer, "set Activation = Activation.Softmax on the last layer" },
            layers, "[[|Loss(LossFunction.CategoricalCrossEntropy)|]]");

    [Theory]
    [InlineData("[Input(784)][Dense(1)]", "Dense #0 has Activation.None")]
    [InlineData("[Input(784)][Dense(3, Activation = Activation.Softmax)]", "Dense #0 has Activation.Softmax")]
    public void CN0008_BinaryCrossEntropyWithoutSigmoid(string layers, string lastLayer) =>
        AssertLayerDiagnostic("CN0008",
            new[] { "LossFunction.BinaryCrossEntropy needs Sigmoid on the last layer, but " + lastLayer, "set Activation = Activation.Sigmoid on the last layer" },
            layers, "[[|Loss(LossFunction.BinaryCrossEntropy)|]]");

    [Theory]
    [InlineData("[Input(8, 8, 1)]", "[[|Conv2D(4, 3, Activation = Activation.Softmax)|]]", "", "Conv2D #0: Activation.Softmax on a Conv2D is not supported yet", "add [Flatten] and a [Dense(units, Activation = Activation.Softmax)] output layer")]
    [InlineData("[Input(784)]", "[[|Dense(10, Activation = (Activation)42)|]]", "", "Dense #0: Activation value 42 is not supported yet", "use None, ReLU, LeakyReLU, Sigmoid, Tanh or Softmax")]
    [InlineData("[Input(784)][Dense(10)]", "[[|Loss((LossFunction)7)|]]", "", "[Loss]: LossFunction value 7 is not supported yet", "use CategoricalCrossEntropy, BinaryCrossEntropy or MeanSquaredError")]
    public void CN0014_NotSupportedYet(string before, string layer, string after, string message, string fix) =>
        AssertLayerDiagnostic("CN0014", new[] { message, fix }, before, layer, after);

    [Theory]
    [InlineData("[[|Dropout(1.5)|]]", "Dropout #1: rate 1.5 is outside [0, 1)")]
    [InlineData("[[|Dropout(1)|]]", "Dropout #1: rate 1 is outside [0, 1)")]
    [InlineData("[[|Dropout(-0.25)|]]", "Dropout #1: rate -0.25 is outside [0, 1)")]
    [InlineData("[[|Dropout(double.NaN)|]]", "Dropout #1: rate NaN is outside [0, 1)")]
    public void CN0015_DropoutRateOutOfRange(string layer, string message) =>
        AssertLayerDiagnostic("CN0015", new[] { message, "use a rate such as 0.25" }, "[Input(784)][Dense(16)]", layer, "[Dense(10)]");

    [Theory]
    [InlineData("[Input(8, 8, 1)][Flatten]")]
    [InlineData("[Input(8, 8, 1)][MaxPool2D(2)][Dropout(0.5)]")]
    public void CN0016_ALossWithNothingToTrain(string layers) =>
        DiagnosticAssert.ReportsOnly($$"""
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            {{layers}}
            [Loss(LossFunction.MeanSquaredError)]
            public partial class [|Net|] { }
            """, "CN0016", Error, new[] { "Network 'Net' has no layer with parameters" }, Usage);

    [Theory]
    [InlineData("[Input(784)]")]
    [InlineData("[Input(784)][Loss(LossFunction.CategoricalCrossEntropy)]")]
    public void CN0016_NoLayers(string attributes) =>
        DiagnosticAssert.ReportsOnly($$"""
            using CompiledNets;

            namespace Samples;

            [CompiledNetwork]
            {{attributes}}
            public partial class [|Net|] { }
            """, "CN0016", Error, new[] { "Network 'Net' has no layer with parameters, so it has nothing to compute or train", "add at least one [Dense(units)]" }, Usage);

    [Theory]
    [InlineData("", "[[|Input(100000, 100000, 3)|]]", "[Flatten][Dense(10)]", "Input: its shape (100000, 100000, 3) would need 30,000,000,000 floats, more than the 2,147,483,591 an array can hold")]
    [InlineData("[Input(20000, 20000, 1)]", "[[|Conv2D(64, 1)|]]", "", "Conv2D #0: its output (20000, 20000, 64) would need 25,600,000,000 floats")]
    [InlineData("[Input(50000)]", "[[|Dense(50000)|]]", "", "Dense #0: the network's parameters would need 2,500,050,000 floats")]
    public void CN0017_TooLarge(string before, string layer, string after, string message) =>
        AssertLayerDiagnostic("CN0017", new[] { message, "use smaller layers" }, before, layer, after);

    [Fact]
    public void CN0018_DuplicateLossIsReportedAtTheSecondOne() =>
        AssertLayerDiagnostic("CN0018", new[] { "Network 'Net' has more than one [Loss]; keep one" },
            "[Input(784)][Dense(10, Activation = Activation.Softmax)]",
            "[Loss(LossFunction.CategoricalCrossEntropy)]",
            "[[|Loss(LossFunction.CategoricalCrossEntropy)|]]");

    [Fact]
    public void CN0020_InputAfterLayers() =>
        AssertLayerDiagnostic("CN0020", new[] { "[Input] of 'Net' comes after layer [Dense]", "move [Input(...)] above the first layer" },
            "[Dense(10)]", "[[|Input(784)|]]");

    /// <summary>[Loss] is not a layer: writing it first is fine.</summary>
    [Fact]
    public void LossBeforeInputIsAllowed()
    {
        GeneratorRun run = GeneratorHarness.Run(new[] { Network("[Loss(LossFunction.CategoricalCrossEntropy)]", "[Input(784)]", "[Dense(10, Activation = Activation.Softmax)]"), Usage });

        DiagnosticAssert.None(run.CompilerDiagnostics, "compiler diagnostics");
        DiagnosticAssert.None(run.AnalyzerDiagnostics, "analyzer diagnostics");
    }

    /// <summary>Calls every generated member of <c>Samples.Net</c>, so missing stubs would be compile errors.</summary>
    private static readonly string Usage = NetworkSources.UsesEveryMember("Net");

    private static void AssertLayerDiagnostic(string id, string[] messageFragments, params string[] attributeLines) =>
        DiagnosticAssert.ReportsOnly(Network(attributeLines), id, Error, messageFragments, Usage);

    private static string Network(params string[] attributeLines) => $$"""
        using CompiledNets;

        namespace Samples;

        [CompiledNetwork]
        {{string.Join("\n", attributeLines)}}
        public partial class Net { }
        """;
}
