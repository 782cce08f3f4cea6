using System;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class EvaluationTests
{
    [Fact]
    public void Undefined_ratios_are_zero_and_absent_classes_are_left_out_of_macro_averages()
    {
        // Class 1 is never predicted (precision undefined -> 0); class 2 neither occurs nor is predicted.
        var e = new Evaluation(new[,]
        {
            { 4, 0, 0 },
            { 2, 0, 0 },
            { 0, 0, 0 },
        });

        Assert.Equal([4 / 6.0, 0, 0], e.Precision);
        Assert.Equal([1, 0, 0], e.Recall);
        Assert.Equal(0, e.F1[1]);
        Assert.Equal(4 / 6.0 / 2, e.MacroPrecision, 12);
        Assert.Equal(0.5, e.MacroRecall, 12);
        Assert.True(double.IsNaN(e.Loss));
    }

    [Fact]
    public void The_matrix_is_copied()
    {
        var matrix = new[,] { { 1, 0 }, { 0, 1 } };
        var e = new Evaluation(matrix, loss: 0.5);
        matrix[0, 0] = 100;
        Assert.Equal(1, e.ConfusionMatrix[0, 0]);
        Assert.Equal(0.5, e.Loss);
    }

    [Fact]
    public void Format_prints_the_confusion_matrix_and_the_class_table()
    {
        var e = new Evaluation(new[,] { { 3, 1, 0 }, { 0, 1, 1 }, { 0, 1, 3 } }, loss: 0.25);

        string text = e.Format();

        Assert.Equal(text, e.ToString());
        Assert.Contains("Loss: 0.2500  Accuracy: 0.7000 (7/10)", text);
        Assert.Contains("Confusion matrix (rows: true class, columns: predicted class)", text);
        Assert.Contains("true\\pred   0   1   2" + Environment.NewLine, text);
        Assert.Contains("        0   3   1   0" + Environment.NewLine, text);
        Assert.Contains("        2   0   1   3" + Environment.NewLine, text);
        Assert.Contains("    class  precision   recall       f1  support", text);
        Assert.Contains("        0     1.0000   0.7500   0.8571        4", text);
        Assert.Contains("    macro     0.6944   0.6667   0.6690       10", text);
    }

    [Fact]
    public void A_missing_loss_is_printed_as_not_available()
    {
        Assert.StartsWith("Loss: n/a  Accuracy: 1.0000 (2/2)", new Evaluation(new[,] { { 2 } }).Format());
    }

    [Fact]
    public void Invalid_matrices_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Evaluation(new int[2, 3]));
        Assert.Throws<ArgumentException>(() => new Evaluation(new int[0, 0]));
        Assert.Throws<ArgumentException>(() => new Evaluation(new int[2, 2]));
        Assert.Throws<ArgumentException>(() => new Evaluation(new[,] { { 1, -1 }, { 0, 1 } }));
    }
}
