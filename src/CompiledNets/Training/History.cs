using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>The record of a <see cref="NetworkTraining.Fit"/> run: one <see cref="EpochResult"/> per epoch, in order.</summary>
public sealed class History
{
    internal History(EpochResult[] epochs)
    {
        Epochs = Array.AsReadOnly(epochs);
    }

    /// <summary>The result of every epoch, first to last.</summary>
    public IReadOnlyList<EpochResult> Epochs { get; }

    /// <summary>One line per epoch.</summary>
    public override string ToString() => string.Join(Environment.NewLine, Epochs);
}
