using System;
using System.IO;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class IdxLoaderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void Reads_images_and_labels_raw_or_gzipped(bool gzipImages, bool gzipLabels)
    {
        byte[] pixels = [0, 255, 51, 102, 1, 2, 3, 4, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160];
        string images = IdxFiles.Write(_directory.File("images.idx"), IdxFiles.Images(3, 2, 4, pixels), gzipImages);
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([2, 0, 7]), gzipLabels);

        Dataset data = Dataset.LoadIdx(images, labels);

        Assert.Equal((3, 2, 4, 1, 8), (data.Count, data.Height, data.Width, data.Channels, data.SampleSize));
        Assert.Equal([2, 0, 7], data.Labels.ToArray());
        Assert.Equal(8, data.ClassCount);
        Assert.Equal(pixels.Length, data.Images.Length);
        for (int i = 0; i < pixels.Length; i++) Assert.Equal(pixels[i] / 255f, data.Images[i]);
        Assert.Equal(0f, data.Images[0]);
        Assert.Equal(1f, data.Images[1]);
        Assert.Equal(0.2f, data.Images[2]);
        Assert.Equal([10 / 255f, 20 / 255f, 30 / 255f, 40 / 255f, 50 / 255f, 60 / 255f, 70 / 255f, 80 / 255f], data.Sample(1).ToArray());
    }

    [Fact]
    public void Reads_files_larger_than_one_read_chunk()
    {
        // 100 MNIST-sized images are 78 400 pixel bytes: more than the loader's 64 KiB chunk.
        byte[] pixels = IdxFiles.CountingPixels(100, 28, 28);
        var labelBytes = new byte[100];
        for (int i = 0; i < labelBytes.Length; i++) labelBytes[i] = (byte)(i % 10);
        string images = IdxFiles.Write(_directory.File("train-images-idx3-ubyte.gz"), IdxFiles.Images(100, 28, 28, pixels), gzip: true);
        string labels = IdxFiles.Write(_directory.File("train-labels-idx1-ubyte.gz"), IdxFiles.Labels(labelBytes), gzip: true);

        Dataset data = Dataset.LoadIdx(images, labels);

        Assert.Equal((100, 28, 28, 10), (data.Count, data.Height, data.Width, data.ClassCount));
        for (int i = 0; i < pixels.Length; i++)
        {
            if (data.Images[i] != pixels[i] / 255f) Assert.Fail($"pixel {i}: {data.Images[i]} instead of {pixels[i] / 255f}");
        }
        Assert.Equal(9, data.Labels[99]);
    }

    [Fact]
    public void Labels_above_254_are_class_indices_too()
    {
        string images = IdxFiles.Write(_directory.File("images.idx"), IdxFiles.Images(2, 1, 1, [7, 8]));
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([255, 3]));
        Dataset data = Dataset.LoadIdx(images, labels);
        Assert.Equal([255, 3], data.Labels.ToArray());
        Assert.Equal(256, data.ClassCount);
    }

    [Fact]
    public void Wrong_images_magic_names_file_offset_and_expected_magic()
    {
        // A labels file passed as the images file.
        string images = IdxFiles.Write(_directory.File("swapped-images.idx"), IdxFiles.Labels([1, 2]));
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([1, 2]));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains(images, error.Message);
        Assert.Contains("byte offset 0", error.Message);
        Assert.Contains("wrong magic number 0x00000801", error.Message);
        Assert.Contains("expected 0x00000803", error.Message);
        Assert.Contains("swapped", error.Message);
    }

    [Fact]
    public void Wrong_labels_magic_names_file_offset_and_expected_magic()
    {
        string images = IdxFiles.Write(_directory.File("images.idx"), IdxFiles.Images(2, 1, 1, [7, 8]));
        string labels = IdxFiles.Write(_directory.File("not-labels.idx"), IdxFiles.Labels([1, 2], magic: 0x12345678), gzip: true);

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains(labels, error.Message);
        Assert.Contains("byte offset 0 of the decompressed data", error.Message);
        Assert.Contains("wrong magic number 0x12345678 (not an IDX header)", error.Message);
        Assert.Contains("expected 0x00000801", error.Message);
    }

    [Fact]
    public void Truncated_header_names_file_and_where_the_data_ends()
    {
        // Magic and image count only: the rows and columns are missing.
        byte[] header = IdxFiles.Images(2, 1, 1, [])[..8];
        string images = IdxFiles.Write(_directory.File("short-header.idx"), header);
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([1, 2]));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains(images, error.Message);
        Assert.Contains("byte offset 8", error.Message);
        Assert.Contains("truncated header", error.Message);
        Assert.Contains("16 bytes", error.Message);
    }

    [Fact]
    public void Empty_file_is_a_truncated_header_at_offset_0()
    {
        string images = IdxFiles.Write(_directory.File("empty.idx"), []);
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([1, 2]));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains(images, error.Message);
        Assert.Contains("byte offset 0", error.Message);
        Assert.Contains("truncated header", error.Message);
    }

    [Theory]
    [InlineData(false, "byte offset 26:")]
    [InlineData(true, "byte offset 26 of the decompressed data:")]
    public void Truncated_pixel_data_names_file_offset_and_byte_counts(bool gzip, string offset)
    {
        // The header declares 3 images of 2x4 = 24 bytes; only 10 follow it, so the data ends at 16 + 10 = 26.
        byte[] file = IdxFiles.Images(3, 2, 4, new byte[10]);
        string images = IdxFiles.Write(_directory.File("truncated-images.idx"), file, gzip);
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([1, 2, 3]));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains(images, error.Message);
        Assert.Contains(offset, error.Message);
        Assert.Contains("truncated pixel data", error.Message);
        Assert.Contains("24 bytes after the 16-byte header", error.Message);
        Assert.Contains("only 10 bytes are present", error.Message);
    }

    [Fact]
    public void A_cut_off_gzip_file_names_file_and_decompressed_offset()
    {
        byte[] pixels = IdxFiles.CountingPixels(100, 28, 28);
        string whole = IdxFiles.Write(_directory.File("whole.gz"), IdxFiles.Images(100, 28, 28, pixels), gzip: true);
        byte[] compressed = File.ReadAllBytes(whole);
        string images = IdxFiles.Write(_directory.File("cut-off.gz"), compressed[..(compressed.Length / 2)]);
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels(new byte[100]));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        // GZipStream either ends early (truncated pixel data) or reports corrupt data; both name the place.
        Assert.Contains(images, error.Message);
        Assert.Contains("of the decompressed data", error.Message);
    }

    [Fact]
    public void Truncated_label_data_names_file_offset_and_byte_counts()
    {
        string images = IdxFiles.Write(_directory.File("images.idx"), IdxFiles.Images(3, 1, 1, [1, 2, 3]));
        string labels = IdxFiles.Write(_directory.File("truncated-labels.idx"), IdxFiles.Labels([1], count: 3));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains(labels, error.Message);
        Assert.Contains("byte offset 9", error.Message);
        Assert.Contains("declares 3 labels", error.Message);
        Assert.Contains("only 1 bytes are present", error.Message);
    }

    [Fact]
    public void Count_mismatch_names_both_files_and_both_counts()
    {
        string images = IdxFiles.Write(_directory.File("three-images.idx"), IdxFiles.Images(3, 1, 1, [1, 2, 3]));
        string labels = IdxFiles.Write(_directory.File("two-labels.idx"), IdxFiles.Labels([1, 2]));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains($"'{images}' holds 3 images", error.Message);
        Assert.Contains($"'{labels}' holds 2 labels", error.Message);
        Assert.Contains("byte offset 4", error.Message);
    }

    [Theory]
    [InlineData(0, 28, 28, "byte offset 4", "image count is 0")]
    [InlineData(5, 0, 28, "byte offset 8", "rows is 0")]
    [InlineData(5, 28, 0, "byte offset 12", "columns is 0")]
    public void Zero_dimensions_name_file_offset_and_dimension(int count, int rows, int columns, string offset, string problem)
    {
        string images = IdxFiles.Write(_directory.File("zero.idx"), IdxFiles.Images(count, rows, columns, []));
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([1, 2, 3, 4, 5]));

        var error = Assert.Throws<InvalidDataException>(() => Dataset.LoadIdx(images, labels));

        Assert.Contains(images, error.Message);
        Assert.Contains(offset, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Missing_file_is_a_FileNotFoundException_with_the_path()
    {
        string images = _directory.File("no-such-images.idx");
        string labels = IdxFiles.Write(_directory.File("labels.idx"), IdxFiles.Labels([1]));

        var error = Assert.Throws<FileNotFoundException>(() => Dataset.LoadIdx(images, labels));

        Assert.Equal(images, error.FileName);
        Assert.Contains(images, error.Message);
    }

    [Fact]
    public void Missing_labels_file_is_reported_too()
    {
        string images = IdxFiles.Write(_directory.File("images.idx"), IdxFiles.Images(1, 1, 1, [1]));
        string labels = _directory.File("no-such-labels.idx");

        var error = Assert.Throws<FileNotFoundException>(() => Dataset.LoadIdx(images, labels));

        Assert.Equal(labels, error.FileName);
    }
}
