using System;
using System.IO;
using System.IO.Compression;

namespace CompiledNets;

/// <summary>
/// A forward-only reader over one IDX file, raw or gzipped, that knows its position in the (decompressed) data,
/// so every error can name the file and the byte offset where the problem is.
/// </summary>
internal sealed class IdxStream : IDisposable
{
    private const int GzipMagic0 = 0x1f;
    private const int GzipMagic1 = 0x8b;

    private readonly Stream _stream;

    private IdxStream(string path, Stream stream, bool isGzip)
    {
        Path = path;
        _stream = stream;
        IsGzip = isGzip;
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>Whether the file is gzip-compressed (offsets are then in the decompressed data).</summary>
    public bool IsGzip { get; }

    /// <summary>Bytes read so far: the offset of the next byte.</summary>
    public long Offset { get; private set; }

    /// <summary>Opens <paramref name="path"/>, decompressing it on the fly if it starts with the gzip magic bytes.</summary>
    public static IdxStream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: '{System.IO.Path.GetFullPath(path)}'.", path);

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        try
        {
            int first = file.ReadByte();
            int second = file.ReadByte();
            file.Position = 0;
            bool isGzip = first == GzipMagic0 && second == GzipMagic1;
            Stream stream = isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return new IdxStream(path, stream, isGzip);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> unless the data ends first; returns the number of bytes read.</summary>
    public int ReadAtMost(Span<byte> buffer)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = _stream.Read(buffer[total..]);
                if (read == 0) break;
                total += read;
            }
        }
        catch (InvalidDataException corrupt)
        {
            // GZipStream's own message names neither the file nor the position.
            throw new InvalidDataException(Describe(Offset + total, $"corrupt gzip data: {corrupt.Message}"), corrupt);
        }
        Offset += total;
        return total;
    }

    /// <summary>An <see cref="InvalidDataException"/> for a problem at <paramref name="offset"/> of this file.</summary>
    public InvalidDataException Error(long offset, string problem) => new(Describe(offset, problem));

    private string Describe(long offset, string problem) =>
        $"Invalid IDX file '{Path}' at byte offset {offset}{(IsGzip ? " of the decompressed data" : "")}: {problem}";

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
