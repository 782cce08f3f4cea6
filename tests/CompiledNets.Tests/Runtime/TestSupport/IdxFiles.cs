using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace CompiledNets.Tests.Runtime;

/// <summary>Builds IDX files byte by byte, valid or deliberately broken, for the loader tests.</summary>
internal static class IdxFiles
{
    public const uint ImagesMagic = 0x00000803;
    public const uint LabelsMagic = 0x00000801;

    /// <summary>An images file: magic, count, rows, columns (big-endian), then <paramref name="pixels"/>.</summary>
    public static byte[] Images(int count, int rows, int columns, ReadOnlySpan<byte> pixels, uint magic = ImagesMagic)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        pixels.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    /// <summary>A labels file: magic, count (big-endian), then one byte per label.</summary>
    public static byte[] Labels(ReadOnlySpan<byte> labels, uint magic = LabelsMagic, int? count = null)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count ?? labels.Length);
        labels.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    /// <summary>Pixels 0, 1, 2, ... wrapping at 256, enough for <paramref name="count"/> images.</summary>
    public static byte[] CountingPixels(int count, int rows, int columns)
    {
        var pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 7 % 256);
        return pixels;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, gzip-compressed when asked.</summary>
    public static string Write(string path, byte[] bytes, bool gzip = false)
    {
        using FileStream file = System.IO.File.Create(path);
        if (gzip)
        {
            using var compressed = new GZipStream(file, CompressionLevel.Fastest);
            compressed.Write(bytes);
        }
        else
        {
            file.Write(bytes);
        }
        return path;
    }
}
