using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using Xunit;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>Runs a sample's build output in a child process, as a user runs it.</summary>
internal static class SampleRun
{
    /// <summary>samples/{name}'s build output for this test's configuration (the test project builds the samples first).</summary>
    public static string Assembly(string name)
    {
        string configuration = typeof(SampleRun).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string path = Path.Combine(RepositoryRoot(), "samples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution (dotnet build CompiledNets.sln -c {configuration}) first");
        return path;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CompiledNets.sln")))
            directory = directory.Parent;
        Assert.True(directory is not null, "the repository root (CompiledNets.sln) was not found above the test's directory");
        return directory!.FullName;
    }

    /// <summary>Runs the sample to its end (5 minutes at most) and returns its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(string sample, string arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{sample}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "the sample did not finish in 5 minutes");
        return (process.ExitCode, output + errors.Result);
    }

    /// <summary>
    /// A folder laid out like Fashion-MNIST's (the four IDX files by their names) holding the repository's MNIST
    /// subset: the same format and shapes, so the FashionMnist sample runs without the 30 MB dataset.
    /// </summary>
    public static string FashionMnistLookalike()
    {
        string source = Path.Combine(RepositoryRoot(), "data", "mnist10k");
        string folder = Path.Combine(Path.GetTempPath(), $"compilednets-fashion-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (string set in new[] { "train", "t10k" })
        {
            File.Copy(Path.Combine(source, "images-idx3-ubyte.gz"), Path.Combine(folder, $"{set}-images-idx3-ubyte.gz"));
            File.Copy(Path.Combine(source, "labels-idx1-ubyte.gz"), Path.Combine(folder, $"{set}-labels-idx1-ubyte.gz"));
        }
        return folder;
    }
}
