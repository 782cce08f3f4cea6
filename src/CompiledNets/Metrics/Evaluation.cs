using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// Classification metrics of a network on a dataset, as <see cref="NetworkTraining.Evaluate"/> measures them:
/// loss, accuracy, confusion matrix and per-class precision, recall and F1 with their macro averages.
/// </summary>
public sealed class Evaluation
{
    /// <summary>Derives every metric from a confusion matrix (and a loss measured alongside it).</summary>
    /// <param name="confusionMatrix">
    /// Square counts: <c>[t, p]</c> is the number of samples of true class <c>t</c> predicted as class <c>p</c>.
    /// It is copied.
    /// </param>
    /// <param name="loss">Mean loss over the samples, or <see cref="double.NaN"/> when none was measured.</param>
    public Evaluation(int[,] confusionMatrix, double loss = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(confusionMatrix);
        int classes = confusionMatrix.GetLength(0);
        if (classes == 0 || confusionMatrix.GetLength(1) != classes)
            throw new ArgumentException(
                $"The confusion matrix must be square with at least one class; it is {classes}x{confusionMatrix.GetLength(1)}.",
                nameof(confusionMatrix));

        ConfusionMatrix = (int[,])confusionMatrix.Clone();
        var support = new int[classes];
        var predicted = new int[classes];
        long total = 0, correct = 0;
        for (int t = 0; t < classes; t++)
        {
            for (int p = 0; p < classes; p++)
            {
                int n = ConfusionMatrix[t, p];
                if (n < 0) throw new ArgumentException($"Confusion matrix entry [{t}, {p}] is negative ({n}).", nameof(confusionMatrix));
                support[t] += n;
                predicted[p] += n;
                total += n;
            }
            correct += ConfusionMatrix[t, t];
        }
        if (total == 0) throw new ArgumentException("The confusion matrix counts no samples.", nameof(confusionMatrix));
        if (total > int.MaxValue) throw new ArgumentException($"The confusion matrix counts {total} samples, more than an int holds.", nameof(confusionMatrix));

        var precision = new double[classes];
        var recall = new double[classes];
        var f1 = new double[classes];
        double precisionSum = 0, recallSum = 0, f1Sum = 0;
        int averaged = 0;
        for (int c = 0; c < classes; c++)
        {
            double hits = ConfusionMatrix[c, c];
            // Undefined ratios (nothing predicted as c, or no sample of c) count as 0, as scikit-learn's zero_division=0.
            precision[c] = predicted[c] == 0 ? 0 : hits / predicted[c];
            recall[c] = support[c] == 0 ? 0 : hits / support[c];
            double sum = precision[c] + recall[c];
            f1[c] = sum == 0 ? 0 : 2 * precision[c] * recall[c] / sum;
            // Macro averages cover the classes that occur (as a label or a prediction), as scikit-learn's do:
            // a 10-output network measured on a subset with 3 classes is not penalized for the 7 absent ones.
            if (support[c] > 0 || predicted[c] > 0)
            {
                precisionSum += precision[c];
                recallSum += recall[c];
                f1Sum += f1[c];
                averaged++;
            }
        }

        Loss = loss;
        Count = (int)total;
        Correct = (int)correct;
        Accuracy = (double)correct / total;
        Precision = Array.AsReadOnly(precision);
        Recall = Array.AsReadOnly(recall);
        F1 = Array.AsReadOnly(f1);
        Support = Array.AsReadOnly(support);
        MacroPrecision = precisionSum / averaged;
        MacroRecall = recallSum / averaged;
        MacroF1 = f1Sum / averaged;
    }

    /// <summary>Mean loss over the samples, or <see cref="double.NaN"/> when the network's loss was not measured.</summary>
    public double Loss { get; }

    /// <summary>Fraction of samples whose predicted class is their label.</summary>
    public double Accuracy { get; }

    /// <summary>Number of samples evaluated.</summary>
    public int Count { get; }

    /// <summary>Number of samples whose predicted class is their label.</summary>
    public int Correct { get; }

    /// <summary>Number of classes: the side of <see cref="ConfusionMatrix"/>.</summary>
    public int ClassCount => ConfusionMatrix.GetLength(0);

    /// <summary>
    /// <c>[t, p]</c> = samples of true class <c>t</c> predicted as class <c>p</c> (rows: true labels, columns:
    /// predictions). This evaluation's own array: changing it does not change the other metrics.
    /// </summary>
    public int[,] ConfusionMatrix { get; }

    /// <summary>Per class: of the samples predicted as the class, the fraction that belong to it (0 when none was predicted).</summary>
    public IReadOnlyList<double> Precision { get; }

    /// <summary>Per class: of the samples of the class, the fraction predicted as it (0 when the class has no samples).</summary>
    public IReadOnlyList<double> Recall { get; }

    /// <summary>Per class: the harmonic mean of precision and recall (0 when both are 0).</summary>
    public IReadOnlyList<double> F1 { get; }

    /// <summary>Per class: the number of samples whose label is the class.</summary>
    public IReadOnlyList<int> Support { get; }

    /// <summary>Unweighted mean of <see cref="Precision"/> over the classes that occur as a label or a prediction.</summary>
    public double MacroPrecision { get; }

    /// <summary>Unweighted mean of <see cref="Recall"/> over the classes that occur as a label or a prediction.</summary>
    public double MacroRecall { get; }

    /// <summary>Unweighted mean of <see cref="F1"/> over the classes that occur as a label or a prediction.</summary>
    public double MacroF1 { get; }

    /// <summary>A readable report: loss and accuracy, the confusion matrix, and a per-class precision/recall/F1 table.</summary>
    public string Format() => EvaluationReport.Format(this);

    /// <inheritdoc cref="Format"/>
    public override string ToString() => Format();
}
