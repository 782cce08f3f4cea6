using System;

namespace CompiledNets;

/// <summary>The network's input: an image of (height, width, channels) or a flat vector of <c>n</c> values.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>An image input, channels last.</summary>
    public InputAttribute(int height, int width, int channels)
    {
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>A flat input of <paramref name="size"/> values, for dense-only networks.</summary>
    public InputAttribute(int size)
    {
        Size = size;
    }

    /// <summary>Image height, or 0 for a flat input.</summary>
    public int Height { get; }
    /// <summary>Image width, or 0 for a flat input.</summary>
    public int Width { get; }
    /// <summary>Image channels, or 0 for a flat input.</summary>
    public int Channels { get; }
    /// <summary>Flat size, or 0 for an image input.</summary>
    public int Size { get; }
}
