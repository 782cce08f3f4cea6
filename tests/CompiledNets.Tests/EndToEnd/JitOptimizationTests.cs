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
    public void No_generated_method_of_the_sample_is_compiled_with_MinOpts()
    {
        string sample = SampleAssembly();
        string summary = Path.Combine(Path.GetTempPath(), $"compilednets-jit-{Guid.NewGuid():N}.txt");
        try
        {
            var start = new ProcessStartInfo("dotnet", $"\"{sample}\" --epochs 1")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DOTNET_JitStdOutFile"] = summary;
            start.Environment["DOTNET_JitDisasmSummary"] = "1";
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(300_000), "the sample did not finish in 5 minutes");
            Assert.True(process.ExitCode == 0, $"the sample failed ({process.ExitCode}): {errors}{output}");

            string[] networkMethods = File.ReadAllLines(summary).Where(line => line.Contains("Mnist.MnistNet:", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(networkMethods);
            string[] minOpts = networkMethods.Where(line => line.Contains("MinOpts", StringComparison.Ordinal)).ToArray();
            Assert.True(minOpts.Length == 0, "compiled with MinOpts:\n" + string.Join('\n', minOpts));
            // The hot kernels must have been optimized (Tier1 or an OSR body), not left at Tier0.
            Assert.Contains(networkMethods, line => line.Contains("Conv0Forward", StringComparison.Ordinal) && line.Contains("Tier1", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(summary);
        }
    }

    /// <summary>samples/Mnist's build output for this test's configuration (the solution builds both).</summary>
    private static string SampleAssembly()
    {
        string configuration = typeof(JitOptimizationTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CompiledNets.sln")))
            directory = directory.Parent;
        Assert.True(directory is not null, "the repository root (CompiledNets.sln) was not found above the test's directory");
        string path = Path.Combine(directory!.FullName, "samples", "Mnist", "bin", configuration, "net10.0", "Mnist.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution (dotnet build CompiledNets.sln -c {configuration}) first");
        return path;
    }
}
