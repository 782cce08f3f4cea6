using System;

namespace CompiledNets;

/// <summary>The loss a network trains against; a network without one is inference-only.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LossAttribute : Attribute
{
    /// <summary>Trains against <paramref name="function"/>.</summary>
    public LossAttribute(LossFunction function)
    {
        Function = function;
    }

    /// <summary>The loss function.</summary>
    public LossFunction Function { get; }
}
