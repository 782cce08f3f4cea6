using System;

namespace CompiledNets;

/// <summary>
/// Labeled samples for training and evaluation: every sample is <see cref="SampleSize"/> floats in the network's
/// input layout (height, width, channels, channels last), stored back to back in one array, with one class-index
/// label per sample.
/// </summary>
public sealed partial class Dataset
{
    private readonly float[] _images;
    private readonly int[] _labels;
    private readonly int _first;

    /// <summary>
    /// Wraps <paramref name="images"/> and <paramref name="labels"/> without copying them: the dataset reads the
    /// arrays as they are, so do not change them while it is in use.
    /// </summary>
    /// <param name="images"><c>labels.Length * height * width * channels</c> floats, sample after sample.</param>
    /// <param name="labels">One class index (0 or more) per sample.</param>
    /// <param name="height">Rows of a sample.</param>
    /// <param name="width">Columns of a sample.</param>
    /// <param name="channels">Channels of a sample.</param>
    /// <param name="classCount">Number of classes; <see langword="null"/> takes the largest label + 1.</param>
    public Dataset(float[] images, int[] labels, int height, int width, int channels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Must be at least 1.");
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Must be at least 1.");
        long sampleSize = (long)height * width * channels;
        if (sampleSize > int.MaxValue)
            throw new ArgumentException($"A sample of {height}x{width}x{channels} = {sampleSize} floats is too large.", nameof(channels));
        if (images.LongLength != labels.LongLength * sampleSize)
            throw new ArgumentException(
                $"{labels.Length} labels need {labels.LongLength * sampleSize} image floats ({height}x{width}x{channels} each), " +
                $"but images has {images.Length}.", nameof(images));

        _images = images;
        _labels = labels;
        Height = height;
        Width = width;
        Channels = channels;
        SampleSize = (int)sampleSize;
        Count = labels.Length;
        ClassCount = CheckLabels(labels, classCount);
    }

    // A view of samples [first, first + count) of another dataset: same arrays, same class count.
    private Dataset(Dataset source, int first, int count)
    {
        _images = source._images;
        _labels = source._labels;
        _first = source._first + first;
        Height = source.Height;
        Width = source.Width;
        Channels = source.Channels;
        SampleSize = source.SampleSize;
        Count = count;
        ClassCount = source.ClassCount;
    }

    /// <summary>Rows of a sample.</summary>
    public int Height { get; }

    /// <summary>Columns of a sample.</summary>
    public int Width { get; }

    /// <summary>Channels of a sample.</summary>
    public int Channels { get; }

    /// <summary>Floats per sample: <c>Height * Width * Channels</c>; must equal the network's <c>InputSize</c>.</summary>
    public int SampleSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Number of classes: every label is in [0, <see cref="ClassCount"/>).</summary>
    public int ClassCount { get; }

    /// <summary>All samples back to back: <c>Count * SampleSize</c> floats.</summary>
    public ReadOnlySpan<float> Images => _images.AsSpan((int)((long)_first * SampleSize), Count * SampleSize);

    /// <summary>The class index of every sample.</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(_first, Count);

    /// <summary>The <see cref="SampleSize"/> floats of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
        return _images.AsSpan((int)((long)(_first + index) * SampleSize), SampleSize);
    }

    /// <summary>
    /// Samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a view: nothing is
    /// copied, the slice reads the same arrays and keeps this dataset's <see cref="ClassCount"/>.
    /// </summary>
    public Dataset Slice(int start, int count)
    {
        if ((uint)start > (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"The dataset has {Count} samples.");
        if ((uint)count > (uint)(Count - start))
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Only {Count - start} samples follow index {start}.");
        return new Dataset(this, start, count);
    }

    /// <summary>A one-line description: count, sample shape and classes.</summary>
    public override string ToString() => $"Dataset: {Count} samples of {Height}x{Width}x{Channels}, {ClassCount} classes";

    private static int CheckLabels(int[] labels, int? classCount)
    {
        if (classCount is < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Must be at least 1.");
        int max = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if (label < 0)
                throw new ArgumentException($"Label {i} is {label}; labels are class indices, 0 or more.", nameof(labels));
            if (label >= classCount)
                throw new ArgumentException($"Label {i} is {label}, but classCount is {classCount}: labels must be below it.", nameof(labels));
            if (label > max) max = label;
        }
        return classCount ?? max + 1;
    }
}
