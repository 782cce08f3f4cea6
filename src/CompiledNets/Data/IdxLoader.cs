using System;
using System.Buffers.Binary;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Reads MNIST-style IDX files: a big-endian header (magic number, then one 32-bit size per dimension) followed by
/// unsigned bytes. Both files are checked before any data is read, and the data is streamed once, in chunks,
/// straight into the dataset's arrays.
/// </summary>
internal static class IdxLoader
{
    /// <summary>Unsigned bytes (type 0x08), 3 dimensions: count, rows, columns.</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Unsigned bytes (type 0x08), 1 dimension: count.</summary>
    public const uint LabelsMagic = 0x00000801;

    private const int ChunkBytes = 1 << 16;

    private static readonly string[] ImageDimensions = ["image count", "rows", "columns"];
    private static readonly string[] LabelDimensions = ["label count"];

    // byte -> byte / 255f: the same float32 division Keras examples do (x / 255.0), looked up instead of recomputed.
    private static readonly float[] PixelValues = CreatePixelValues();

    /// <summary>Loads the pair of files as a dataset of <c>rows x columns x 1</c> samples.</summary>
    public static Dataset Load(string imagesPath, string labelsPath)
    {
        using IdxStream images = IdxStream.Open(imagesPath);
        using IdxStream labels = IdxStream.Open(labelsPath);
        int[] imageShape = ReadHeader(images, ImagesMagic, ImageDimensions);
        int[] labelShape = ReadHeader(labels, LabelsMagic, LabelDimensions);
        int count = imageShape[0], rows = imageShape[1], columns = imageShape[2];
        if (labelShape[0] != count)
            throw new InvalidDataException(
                $"IDX files do not match: '{images.Path}' holds {count} images but '{labels.Path}' holds {labelShape[0]} labels " +
                "(the counts at byte offset 4 of each file must be equal).");

        long pixelCount = (long)count * rows * columns;
        if (pixelCount > Array.MaxLength)
            throw images.Error(4, $"{count} images of {rows}x{columns} pixels are {pixelCount} floats, more than one .NET array holds.");

        float[] pixels = ReadPixels(images, (int)pixelCount, count, rows, columns);
        int[] classes = ReadLabels(labels, count);
        return new Dataset(pixels, classes, rows, columns, channels: 1);
    }

    private static int[] ReadHeader(IdxStream stream, uint expectedMagic, string[] dimensionNames)
    {
        string kind = DescribeMagic(expectedMagic);
        int headerBytes = 4 + 4 * dimensionNames.Length;
        Span<byte> header = stackalloc byte[16];
        header = header[..headerBytes];
        int read = stream.ReadAtMost(header);
        if (read >= 4)
        {
            uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (magic != expectedMagic) throw WrongMagic(stream, magic, expectedMagic);
        }
        if (read < headerBytes)
            throw stream.Error(read,
                $"truncated header: the data ends after {read} bytes, but the header of {kind} is {headerBytes} bytes " +
                $"(magic number, then {string.Join(", ", dimensionNames)} as 32-bit big-endian integers).");

        var shape = new int[dimensionNames.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            int offset = 4 + 4 * i;
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header[offset..]);
            if (size == 0)
                throw stream.Error(offset, $"the {dimensionNames[i]} is 0; every dimension of {kind} must be at least 1.");
            if (size > int.MaxValue)
                throw stream.Error(offset, $"the {dimensionNames[i]} is {size}, which is not a plausible size (the header may be corrupt).");
            shape[i] = (int)size;
        }
        return shape;
    }

    private static InvalidDataException WrongMagic(IdxStream stream, uint found, uint expected)
    {
        bool swapped = (found, expected) is (LabelsMagic, ImagesMagic) or (ImagesMagic, LabelsMagic);
        return stream.Error(0,
            $"wrong magic number 0x{found:X8} ({DescribeMagic(found)}); expected 0x{expected:X8} ({DescribeMagic(expected)})." +
            (swapped ? " Are the images and labels files swapped?" : ""));
    }

    private static string DescribeMagic(uint magic) => magic switch
    {
        ImagesMagic => "an IDX images file: unsigned bytes, 3 dimensions",
        LabelsMagic => "an IDX labels file: unsigned bytes, 1 dimension",
        _ when magic >> 16 == 0 => $"IDX data of type 0x{(magic >> 8) & 0xFF:X2} with {magic & 0xFF} dimensions",
        _ => "not an IDX header",
    };

    private static float[] ReadPixels(IdxStream stream, int pixelCount, int count, int rows, int columns)
    {
        var pixels = new float[pixelCount];
        var chunk = new byte[Math.Min(ChunkBytes, pixelCount)];
        ReadOnlySpan<float> values = PixelValues;
        int done = 0;
        while (done < pixelCount)
        {
            int wanted = Math.Min(chunk.Length, pixelCount - done);
            int read = stream.ReadAtMost(chunk.AsSpan(0, wanted));
            Span<float> target = pixels.AsSpan(done, read);
            for (int i = 0; i < target.Length; i++)
            {
                target[i] = values[chunk[i]];
            }
            done += read;
            if (read < wanted)
                throw stream.Error(stream.Offset,
                    $"truncated pixel data: the header declares {count} images of {rows}x{columns} pixels, " +
                    $"{pixelCount} bytes after the 16-byte header, but only {done} bytes are present.");
        }
        return pixels;
    }

    private static int[] ReadLabels(IdxStream stream, int count)
    {
        var labels = new int[count];
        var chunk = new byte[Math.Min(ChunkBytes, count)];
        int done = 0;
        while (done < count)
        {
            int wanted = Math.Min(chunk.Length, count - done);
            int read = stream.ReadAtMost(chunk.AsSpan(0, wanted));
            // Every byte is a class index; the dataset's ClassCount becomes the largest one + 1.
            for (int i = 0; i < read; i++)
            {
                labels[done + i] = chunk[i];
            }
            done += read;
            if (read < wanted)
                throw stream.Error(stream.Offset,
                    $"truncated label data: the header declares {count} labels, {count} bytes after the 8-byte header, " +
                    $"but only {done} bytes are present.");
        }
        return labels;
    }

    private static float[] CreatePixelValues()
    {
        var values = new float[256];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i / 255f;
        }
        return values;
    }
}
