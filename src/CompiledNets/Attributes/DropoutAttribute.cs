using System;

namespace CompiledNets;

/// <summary>Inverted dropout: in training steps each value is zeroed with probability <c>rate</c> and the rest scaled by <c>1 / (1 - rate)</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Drops each value with probability <paramref name="rate"/>, 0 &lt;= rate &lt; 1.</summary>
    public DropoutAttribute(double rate)
    {
        Rate = rate;
    }

    /// <summary>Probability of dropping a value during training.</summary>
    public double Rate { get; }
}
