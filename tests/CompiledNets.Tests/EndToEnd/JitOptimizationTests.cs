using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>
/// Guard rail for the generated code's size: RyuJIT compiles a method over its size limits with MinOpts
/// (no register allocation of vectors, no inlining; about 3.4x slower here) and never recompiles it, silently.
/// This runs the sample's training for one epoch in a child process with the JIT's compilation summary on,
/// and fails if any generated network method was compiled with MinOpts, or never reached optimized code.
/// </summary>
public sealed class JitOptimizationTests
{
    [Fact]
    public void No_generated_method_of_the_Mnist_sample_is_compiled_with_MinOpts() =>
        AssertOptimized(SampleRun.Assembly("Mnist"), "--epochs 1", "Mnist.MnistNet:", "Conv0Forward");

    /// <summary>The tutorial convnet: 5x5 kernels over 32 channels, padding copies, dropout, batched dense kernels.</summary>
    [Fact]
    public void No_generated_method_of_the_FashionMnist_sample_is_compiled_with_MinOpts()
    {
        string data = SampleRun.FashionMnistLookalike();
        try
        {
            AssertOptimized(SampleRun.Assembly("FashionMnist"), $"--data \"{data}\" --epochs 1 --train 1024", "FashionMnist.FashionNet:", "Conv2Forward");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static void AssertOptimized(string sample, string arguments, string networkPrefix, string hotKernel)
    {
        string summary = Path.Combine(Path.GetTempPath(), $"compilednets-jit-{Guid.NewGuid():N}.txt");
        try
        {
            var (exitCode, output) = SampleRun.Run(sample, arguments, new() { ["DOTNET_JitStdOutFile"] = summary, ["DOTNET_JitDisasmSummary"] = "1" });
            Assert.True(exitCode == 0, $"the sample failed ({exitCode}): {output}");

            string[] networkMethods = File.ReadAllLines(summary).Where(line => line.Contains(networkPrefix, StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(networkMethods);
            string[] minOpts = networkMethods.Where(line => line.Contains("MinOpts", StringComparison.Ordinal)).ToArray();
            Assert.True(minOpts.Length == 0, "compiled with MinOpts:\n" + string.Join('\n', minOpts));
            // The hot kernels must have been optimized (Tier1 or an OSR body), not left at Tier0.
            Assert.Contains(networkMethods, line => line.Contains(hotKernel, StringComparison.Ordinal) && line.Contains("Tier1", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(summary);
        }
    }
}
