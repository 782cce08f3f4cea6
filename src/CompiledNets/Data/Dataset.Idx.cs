using System.IO;

namespace CompiledNets;

public sealed partial class Dataset
{
    /// <summary>
    /// Reads an images file and a labels file in the IDX format of MNIST and Fashion-MNIST, gzipped (detected by its
    /// magic bytes) or raw. Pixels are scaled to [0, 1] by dividing by 255; the samples are 28x28x1 for MNIST.
    /// </summary>
    /// <param name="imagesPath">IDX3 unsigned-byte file (magic 0x00000803): count, rows, columns, then the pixels.</param>
    /// <param name="labelsPath">IDX1 unsigned-byte file (magic 0x00000801): count, then one class index per byte.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is not what it should be: wrong magic number, truncated header or data, zero dimensions, or counts that
    /// differ between the two files. The message names the file and the byte offset (in the decompressed data for a
    /// gzipped file).
    /// </exception>
    public static Dataset LoadIdx(string imagesPath, string labelsPath) => IdxLoader.Load(imagesPath, labelsPath);
}
