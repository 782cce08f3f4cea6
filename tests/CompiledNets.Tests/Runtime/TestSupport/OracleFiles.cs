using System;
using System.Buffers.Binary;
using System.IO;

namespace CompiledNets.Tests.Runtime;

/// <summary>Reads the PyTorch oracle files copied next to the test assembly (see Oracle/README.md).</summary>
internal static class OracleFiles
{
    /// <summary>A little-endian float32 file under <c>Oracle/&lt;configuration&gt;/</c> of the build output.</summary>
    public static float[] ReadFloats(string configuration, string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Oracle", configuration, fileName);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length % sizeof(float) != 0)
            throw new InvalidDataException($"{path} has {bytes.Length} bytes, not a whole number of float32 values.");
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }
        return values;
    }
}
