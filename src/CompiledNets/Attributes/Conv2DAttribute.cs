using System;

namespace CompiledNets;

/// <summary>A 2-D convolution over a (height, width, channels) input, Keras kernel layout <c>[kh][kw][inC][outC]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>A square <paramref name="kernelSize"/> x <paramref name="kernelSize"/> kernel.</summary>
    public Conv2DAttribute(int filters, int kernelSize)
        : this(filters, kernelSize, kernelSize)
    {
    }

    /// <summary>A <paramref name="kernelHeight"/> x <paramref name="kernelWidth"/> kernel.</summary>
    public Conv2DAttribute(int filters, int kernelHeight, int kernelWidth)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }
    /// <summary>Kernel rows.</summary>
    public int KernelHeight { get; }
    /// <summary>Kernel columns.</summary>
    public int KernelWidth { get; }
    /// <summary>Step between kernel applications, in both directions (default 1).</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Border handling (default <see cref="Padding.Valid"/>).</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Nonlinearity after the convolution and bias (default none).</summary>
    public Activation Activation { get; set; } = Activation.None;
}
