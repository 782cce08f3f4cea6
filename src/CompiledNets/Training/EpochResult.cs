using System;
using System.Globalization;
using System.Text;

namespace CompiledNets;

/// <summary>What one epoch of <see cref="NetworkTraining.Fit"/> achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">Epochs of the whole run.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's samples (each batch's mean loss weighted by its size).</param>
/// <param name="ValidationLoss">Loss on <see cref="FitOptions.Validation"/> after the epoch, or <see langword="null"/> without one.</param>
/// <param name="ValidationAccuracy">Accuracy on <see cref="FitOptions.Validation"/> after the epoch, or <see langword="null"/> without one.</param>
/// <param name="Samples">Training samples seen in the epoch.</param>
/// <param name="Elapsed">Time the epoch took, validation included.</param>
public sealed record EpochResult(
    int Epoch, int Epochs, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy, int Samples, TimeSpan Elapsed)
{
    /// <summary>A Keras-like line, for example <c>Epoch 3/10 - 12.3s - loss: 0.0912 - val_loss: 0.0871 - val_accuracy: 0.9731</c>.</summary>
    public override string ToString()
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"Epoch {Epoch}/{Epochs} - {Elapsed.TotalSeconds:0.0}s - loss: {TrainLoss:0.0000}");
        if (ValidationLoss is double loss) line.Append(CultureInfo.InvariantCulture, $" - val_loss: {loss:0.0000}");
        if (ValidationAccuracy is double accuracy) line.Append(CultureInfo.InvariantCulture, $" - val_accuracy: {accuracy:0.0000}");
        return line.ToString();
    }
}
