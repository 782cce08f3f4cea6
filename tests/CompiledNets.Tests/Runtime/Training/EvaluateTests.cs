using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class EvaluateTests
{
    // Ten samples of three classes with chosen predictions. The network puts 0.8 on its predicted class and
    // 0.1 on the others.
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 2, 2, 2, 2, 0];
    private static readonly int[] Predictions = [0, 0, 1, 1, 2, 2, 2, 1, 2, 0];

    // Rows: true class; columns: predicted class.
    private static readonly int[,] ExpectedConfusion =
    {
        { 3, 1, 0 },
        { 0, 1, 1 },
        { 0, 1, 3 },
    };

    [Theory]
    [InlineData(256)]
    [InlineData(3)] // chunks of 3, 3, 3 and 1
    [InlineData(1)]
    public void Metrics_match_a_hand_computed_confusion_matrix(int batchSize)
    {
        var network = new LookupNetwork(Predictions.Select(p => OneHotish(p, 3)).ToArray());

        Evaluation e = network.Evaluate(LookupNetwork.RowIndexDataset(Labels), batchSize);

        Assert.Equal(ExpectedConfusion, e.ConfusionMatrix);
        Assert.Equal((10, 7, 3), (e.Count, e.Correct, e.ClassCount));
        Assert.Equal(0.7, e.Accuracy, 12);
        // Column sums 3, 3, 4; row sums (support) 4, 2, 4.
        Assert.Equal([3 / 3.0, 1 / 3.0, 3 / 4.0], e.Precision, Near);
        Assert.Equal([3 / 4.0, 1 / 2.0, 3 / 4.0], e.Recall, Near);
        Assert.Equal([6 / 7.0, 0.4, 0.75], e.F1, Near);
        Assert.Equal([4, 2, 4], e.Support);
        Assert.Equal((1 + 1 / 3.0 + 0.75) / 3, e.MacroPrecision, 12);
        Assert.Equal((0.75 + 0.5 + 0.75) / 3, e.MacroRecall, 12);
        Assert.Equal((6 / 7.0 + 0.4 + 0.75) / 3, e.MacroF1, 12);
        // Seven samples with p[label] = 0.8, three with 0.1.
        double expectedLoss = (7 * -Math.Log(0.8f) + 3 * -Math.Log(0.1f)) / 10;
        Assert.Equal(expectedLoss, e.Loss, 6);
    }

    [Fact]
    public void Confusion_matrix_sums_to_the_sample_count_and_its_diagonal_is_the_accuracy()
    {
        var network = new SoftmaxRegression();
        network.Fit(SyntheticData.Clusters(30), epochs: 2, batchSize: 8, new Sgd(0.05f));
        Dataset test = SyntheticData.Clusters(20, seed: 1);

        Evaluation e = network.Evaluate(test, batchSize: 7);

        int total = 0, diagonal = 0;
        for (int t = 0; t < 3; t++)
        {
            for (int p = 0; p < 3; p++) total += e.ConfusionMatrix[t, p];
            diagonal += e.ConfusionMatrix[t, t];
        }
        Assert.Equal(test.Count, total);
        Assert.Equal((double)diagonal / test.Count, e.Accuracy, 12);
        int classified = Enumerable.Range(0, test.Count).Count(i => network.Classify(test.Sample(i)) == test.Labels[i]);
        Assert.Equal(classified, diagonal);
    }

    [Fact]
    public void Probabilities_are_clipped_at_1e7_like_keras()
    {
        // Every sample gets probability 0 for its label: -log(0) would be infinite.
        var network = new LookupNetwork([[0f, 1f], [1f, 0f]]);
        Evaluation e = network.Evaluate(LookupNetwork.RowIndexDataset([0, 1]));
        Assert.Equal(-Math.Log(1e-7f), e.Loss, 12);
        Assert.Equal(0, e.Accuracy);
    }

    [Fact]
    public void Without_a_cross_entropy_loss_the_loss_is_NaN()
    {
        var inferenceOnly = new LookupNetwork([[0.2f, 0.8f], [0.9f, 0.1f]], loss: null);
        Evaluation e = inferenceOnly.Evaluate(LookupNetwork.RowIndexDataset([1, 1]));
        Assert.True(double.IsNaN(e.Loss));
        Assert.Equal(0.5, e.Accuracy);
    }

    [Fact]
    public void A_single_output_predicts_class_1_above_one_half()
    {
        var sigmoid = new LookupNetwork([[0.7f], [0.2f], [0.5f], [0.9f]], LossFunction.BinaryCrossEntropy);
        Evaluation e = sigmoid.Evaluate(LookupNetwork.RowIndexDataset([1, 0, 1, 0]));
        Assert.Equal(new[,] { { 1, 1 }, { 1, 1 } }, e.ConfusionMatrix);
    }

    [Fact]
    public void A_dataset_of_another_sample_size_is_rejected_naming_both_sizes()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new SoftmaxRegression().Evaluate(SyntheticData.Clusters(5, features: 3)));
        Assert.Equal("data", error.ParamName);
        Assert.Contains("samples have 3 floats", error.Message);
        Assert.Contains("InputSize is 4", error.Message);
    }

    [Fact]
    public void Labels_beyond_the_outputs_are_rejected()
    {
        var network = new LookupNetwork([[1f, 0f], [0f, 1f]]);
        var error = Assert.Throws<ArgumentException>(() => network.Evaluate(LookupNetwork.RowIndexDataset([0, 2])));
        Assert.Contains("3 classes", error.Message);
    }

    [Fact]
    public void Batch_size_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxRegression().Evaluate(SyntheticData.Clusters(5), batchSize: 0));
    }

    private static float[] OneHotish(int predicted, int classes)
    {
        var output = new float[classes];
        for (int c = 0; c < classes; c++) output[c] = c == predicted ? 0.8f : 0.1f;
        return output;
    }

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-12;
}
