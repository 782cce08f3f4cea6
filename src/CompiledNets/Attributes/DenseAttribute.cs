using System;

namespace CompiledNets;

/// <summary>A fully connected layer, Keras kernel layout <c>[in][out]</c> then bias <c>[out]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>A layer of <paramref name="units"/> outputs.</summary>
    public DenseAttribute(int units)
    {
        Units = units;
    }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }
    /// <summary>Nonlinearity after the affine map (default none).</summary>
    public Activation Activation { get; set; } = Activation.None;
}
