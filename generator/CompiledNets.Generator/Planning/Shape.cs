namespace CompiledNets.Generator.Planning;

/// <summary>A tensor shape of one sample: (height, width, channels), channels last, or a flat vector.</summary>
internal readonly record struct Shape(int Height, int Width, int Channels, bool IsFlat)
{
    public static Shape Image(int height, int width, int channels) => new(height, width, channels, false);

    public static Shape Flat(int size) => new(1, 1, size, true);

    /// <summary>Floats per sample, as a long so oversized networks are caught instead of overflowing.</summary>
    public long LongSize => (long)Height * Width * Channels;

    public int Size => (int)LongSize;

    /// <summary>Keras notation without the batch axis: "(26, 26, 32)" or "(5408)".</summary>
    public override string ToString() => IsFlat ? $"({Channels})" : $"({Height}, {Width}, {Channels})";
}
