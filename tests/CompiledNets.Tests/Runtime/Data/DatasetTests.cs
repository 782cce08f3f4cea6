using System;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class DatasetTests
{
    // Four samples of 1x1x3; sample n holds 10n, 10n + 1, 10n + 2.
    private static Dataset FourSamples(int? classCount = null) => new(
        images: [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32],
        labels: [1, 0, 4, 2],
        height: 1, width: 1, channels: 3,
        classCount: classCount);

    [Fact]
    public void Exposes_shape_samples_and_labels()
    {
        Dataset data = FourSamples();
        Assert.Equal((1, 1, 3, 3, 4), (data.Height, data.Width, data.Channels, data.SampleSize, data.Count));
        Assert.Equal(5, data.ClassCount);
        Assert.Equal([20f, 21f, 22f], data.Sample(2).ToArray());
        Assert.Equal([1, 0, 4, 2], data.Labels.ToArray());
        Assert.Equal(12, data.Images.Length);
    }

    [Fact]
    public void An_explicit_class_count_is_kept()
    {
        Assert.Equal(10, FourSamples(classCount: 10).ClassCount);
    }

    [Fact]
    public void Slice_is_a_view_that_keeps_the_class_count()
    {
        Dataset slice = FourSamples().Slice(1, 2);
        Assert.Equal(2, slice.Count);
        Assert.Equal(5, slice.ClassCount);
        Assert.Equal([0, 4], slice.Labels.ToArray());
        Assert.Equal([10f, 11f, 12f, 20f, 21f, 22f], slice.Images.ToArray());
        Assert.Equal([20f, 21f, 22f], slice.Sample(1).ToArray());
        Assert.Equal([20f, 21f, 22f], slice.Slice(1, 1).Sample(0).ToArray());
        Assert.Equal(0, FourSamples().Slice(4, 0).Count);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(5, 0)]
    [InlineData(2, 3)]
    [InlineData(0, -1)]
    public void Slice_out_of_range_throws(int start, int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FourSamples().Slice(start, count));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Sample_out_of_range_throws(int index)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FourSamples().Sample(index));
    }

    [Fact]
    public void Images_that_do_not_match_the_labels_are_rejected_with_both_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dataset(new float[11], new int[4], 1, 1, 3));
        Assert.Contains("4 labels need 12 image floats", error.Message);
        Assert.Contains("images has 11", error.Message);
    }

    [Fact]
    public void Negative_labels_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dataset(new float[2], [0, -1], 1, 1, 1));
        Assert.Contains("Label 1 is -1", error.Message);
    }

    [Fact]
    public void Labels_beyond_an_explicit_class_count_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => FourSamples(classCount: 4));
        Assert.Contains("Label 2 is 4, but classCount is 4", error.Message);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void Shapes_must_be_positive(int height, int width, int channels)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([], [], height, width, channels));
    }
}
