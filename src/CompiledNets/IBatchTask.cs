using System;
using System.ComponentModel;

namespace CompiledNets;

/// <summary>
/// Work a <see cref="WorkerPool"/> runs on every worker at once. Generated networks implement it to split a
/// batch: each worker takes the share of samples its index fixes, so results do not depend on timing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IBatchTask
{
    /// <summary>
    /// Runs worker <paramref name="workerIndex"/>'s share of the batch. A training batch comes with class-index
    /// <paramref name="labels"/> or with float <paramref name="targets"/> (the other span is empty).
    /// </summary>
    void Execute(int workerIndex, int workerCount, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs);

    /// <summary>
    /// True when <see cref="Prepare"/> must run on every worker, and have finished on all of them, before any worker
    /// starts <see cref="Execute"/>. Read once per batch, before any worker starts. False unless implemented.
    /// </summary>
    bool Prepares => false;

    /// <summary>
    /// Worker <paramref name="workerIndex"/>'s share of what every worker's <see cref="Execute"/> then reads (the
    /// generated networks: refreshing their transposed kernels), so that it is not done on one thread while the
    /// others wait. Runs only when <see cref="Prepares"/>.
    /// </summary>
    void Prepare(int workerIndex, int workerCount) { }

    /// <summary>
    /// Runs after every worker has finished <see cref="Execute"/>: worker <paramref name="workerIndex"/> combines
    /// its slice of the workers' results (a parallel reduction, each slice summed in worker order).
    /// </summary>
    void Reduce(int workerIndex, int workerCount);
}
