using System;

namespace CompiledNets;

/// <summary>Maximum over <c>poolSize x poolSize</c> windows, per channel.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>A square window; the stride defaults to the window size (Keras).</summary>
    public MaxPool2DAttribute(int poolSize)
    {
        PoolSize = poolSize;
    }

    /// <summary>Window rows and columns.</summary>
    public int PoolSize { get; }
    /// <summary>Step between windows; 0 (the default) means <see cref="PoolSize"/>.</summary>
    public int Stride { get; set; }
}

/// <summary>Mean over <c>poolSize x poolSize</c> windows, per channel.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AveragePool2DAttribute : Attribute
{
    /// <summary>A square window; the stride defaults to the window size (Keras).</summary>
    public AveragePool2DAttribute(int poolSize)
    {
        PoolSize = poolSize;
    }

    /// <summary>Window rows and columns.</summary>
    public int PoolSize { get; }
    /// <summary>Step between windows; 0 (the default) means <see cref="PoolSize"/>.</summary>
    public int Stride { get; set; }
}
