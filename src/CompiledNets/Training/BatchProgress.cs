using System;
using System.Globalization;

namespace CompiledNets;

/// <summary>Where an epoch of <see cref="NetworkTraining.Fit"/> stands after a batch.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">Epochs of the whole run.</param>
/// <param name="Batch">Batches done in this epoch, from 1.</param>
/// <param name="Batches">Batches per epoch (the last one may be smaller).</param>
/// <param name="Samples">Samples trained on so far in this epoch.</param>
/// <param name="Loss">Mean loss of the samples so far in this epoch.</param>
/// <param name="Elapsed">Time since the epoch started.</param>
public readonly record struct BatchProgress(int Epoch, int Epochs, int Batch, int Batches, int Samples, double Loss, TimeSpan Elapsed)
{
    /// <summary>A Keras-like status line, for example <c>Epoch 1/10 - 600/1875 - 4.2s - loss: 0.3120</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Epoch {Epoch}/{Epochs} - {Batch}/{Batches} - {Elapsed.TotalSeconds:0.0}s - loss: {Loss:0.0000}");
}
