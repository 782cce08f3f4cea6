using System;
using System.IO;
using System.Security.Cryptography;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>
/// The files copied into Oracle/ are the shared oracle's Keras-layout files, unchanged: each one's SHA-256 starts
/// with the prefix its manifest records. A file copied from torch/ instead of keras/ (same size, other layout),
/// truncated, or regenerated without its manifest fails here, before it could make a network test pass or fail.
/// </summary>
public sealed class OracleCopyTests
{
    /// <summary>Every copied configuration.</summary>
    public static TheoryData<string> CopiedConfigurations => new()
    {
        "seed", "conv_stride2", "conv_same5x5", "rgb32_twoconv", "avgpool", "nonsquare", "mlp", "same_stride2_pool3s2",
    };

    [Theory]
    [MemberData(nameof(CopiedConfigurations))]
    public void Every_copied_file_has_the_manifests_hash(string configuration)
    {
        var manifest = OracleManifest.Load(configuration);
        string folder = Path.Combine(AppContext.BaseDirectory, "Oracle", configuration);
        string[] files = Directory.GetFiles(folder);
        Assert.True(files.Length > 1, $"{folder} holds no oracle files besides its manifest");

        foreach (string path in files)
        {
            string name = Path.GetFileName(path);
            if (name == "manifest.json") continue;
            // Labels, probabilities and loss sit at the top of a shared folder; layout-specific files under keras/.
            string key = manifest.Sha256Prefixes.ContainsKey(name) ? name : "keras/" + name;
            Assert.True(manifest.Sha256Prefixes.TryGetValue(key, out string? prefix), $"{configuration}/{name} is not in its manifest");
            string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            Assert.True(hash.StartsWith(prefix, StringComparison.Ordinal), $"{configuration}/{name}: SHA-256 {hash[..16]}, manifest says {prefix}");
        }
    }
}
