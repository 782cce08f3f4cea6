using System;

namespace CompiledNets;

/// <summary>
/// Updates a flat parameter span from its gradient. State (moments, velocities) is per parameter and
/// allocated on the first step, so one optimizer instance belongs to one network.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Number of steps taken so far.</summary>
    public long Iterations { get; protected set; }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/> (equal lengths).</summary>
    public abstract void Step(Span<float> parameters, ReadOnlySpan<float> gradients);
}
