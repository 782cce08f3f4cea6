using System;

namespace CompiledNets;

/// <summary>
/// Updates a flat parameter span from its gradient. State (moments, velocities) is per parameter and
/// allocated on the first step, so one optimizer instance belongs to one network.
/// </summary>
/// <remarks>
/// An optimizer whose update of each parameter reads only that parameter's gradient and state can also take one step
/// slice by slice: <see cref="BeginStep"/>, then <see cref="StepSlice"/> on disjoint slices (from any threads at once),
/// then <see cref="EndStep"/>, with exactly the result of <see cref="Step"/>. A network with several workers then updates
/// each worker's slice of the parameters on that worker, block by block right after the worker has summed that block of
/// the gradients (so many calls per step, of a few thousand parameters each), instead of once over every parameter on
/// one thread. <see cref="Adam"/> and <see cref="Sgd"/> do; an optimizer that
/// does not keeps the default <see cref="UpdatesElementwise"/> of false and is only ever called through <see cref="Step"/>.
/// </remarks>
public abstract class Optimizer
{
    /// <summary>Number of steps taken so far.</summary>
    public long Iterations { get; protected set; }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/> (equal lengths).</summary>
    public abstract void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>True when a step may be taken slice by slice (<see cref="BeginStep"/>, <see cref="StepSlice"/>, <see cref="EndStep"/>).</summary>
    public virtual bool UpdatesElementwise => false;

    /// <summary>Starts a step over <paramref name="parameterCount"/> parameters, to be applied by <see cref="StepSlice"/>.</summary>
    public virtual void BeginStep(int parameterCount) => throw NotElementwise();

    /// <summary>
    /// Applies the step begun by <see cref="BeginStep"/> to the parameters from <paramref name="offset"/> on:
    /// <paramref name="parameters"/> and <paramref name="gradients"/> are that slice of the full spans (equal lengths).
    /// Disjoint slices may be stepped from several threads at once.
    /// </summary>
    public virtual void StepSlice(Span<float> parameters, ReadOnlySpan<float> gradients, int offset) => throw NotElementwise();

    /// <summary>Ends the step begun by <see cref="BeginStep"/> once every slice is done: <see cref="Iterations"/> counts it.</summary>
    public virtual void EndStep() => throw NotElementwise();

    private NotSupportedException NotElementwise() =>
        new($"{GetType().Name} does not update parameters one by one (UpdatesElementwise is false): call Step.");
}
