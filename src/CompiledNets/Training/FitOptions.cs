using System;

namespace CompiledNets;

/// <summary>Optional settings of <see cref="NetworkTraining.Fit"/>; the defaults shuffle with seed 0 and report nothing.</summary>
public sealed class FitOptions
{
    /// <summary>Whether to visit the training samples in a new random order every epoch (default <see langword="true"/>).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Seed of the shuffles (default 0). Epoch <c>e</c> uses the order drawn from (seed, e), so every epoch differs and
    /// a run is repeatable.
    /// </summary>
    public int ShuffleSeed { get; init; }

    /// <summary>Data evaluated after every epoch; its loss and accuracy go into each <see cref="EpochResult"/>.</summary>
    public Dataset? Validation { get; init; }

    /// <summary>Receives each epoch's result when it ends, synchronously on the training thread.</summary>
    public IProgress<EpochResult>? EpochProgress { get; init; }

    /// <summary>
    /// Receives the running state of an epoch about 20 times per epoch and after its last batch, synchronously on
    /// the training thread (keep the handler fast: training waits for it).
    /// </summary>
    public IProgress<BatchProgress>? BatchProgress { get; init; }
}
