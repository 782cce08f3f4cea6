using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CompiledNets.Tests.Numerics;

/// <summary>Reads the PyTorch reference values copied into Oracle/ (see Oracle/README.md): raw little-endian arrays.</summary>
internal static class OracleData
{
    public static float[] Floats(string configuration, string file) => Read<float>(configuration, file);

    public static int[] Ints(string configuration, string file) => Read<int>(configuration, file);

    private static T[] Read<T>(string configuration, string file) where T : struct
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Oracle", configuration, file);
        byte[] bytes = File.ReadAllBytes(path);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
