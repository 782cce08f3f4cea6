using System;
using System.IO;
using System.Linq;

namespace FashionMnist;

/// <summary>
/// Where the Fashion-MNIST IDX files are: <c>--data DIR</c>, else <c>$FASHION_MNIST_DIR</c>, else the Debian
/// package's folder. A folder without the four files is a clear error that says how to get them.
/// </summary>
internal static class DataLocation
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";
    public const string EnvironmentVariable = "FASHION_MNIST_DIR";

    public static readonly string[] Files =
    {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    };

    /// <summary>The folder to read, and where the choice came from (for the message).</summary>
    public static (string Folder, string Source) Choose(string? option)
    {
        if (option is not null) return (option, "--data");
        string? variable = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(variable)) return (variable, "$" + EnvironmentVariable);
        return (DebianFolder, "the default folder of the Debian package dataset-fashion-mnist");
    }

    /// <summary>The files missing from <paramref name="folder"/>: empty when it is usable.</summary>
    public static string[] Missing(string folder) => Files.Where(f => !File.Exists(Path.Combine(folder, f))).ToArray();

    public static string Help(string folder, string source, string[] missing) =>
        $"Fashion-MNIST not found in {folder} ({source}): missing {string.Join(", ", missing)}.{Environment.NewLine}" +
        $"Install it with `sudo apt-get install dataset-fashion-mnist` (files in {DebianFolder}), or download the four " +
        $"files from https://github.com/zalandoresearch/fashion-mnist and pass --data DIR or set {EnvironmentVariable}.";
}
