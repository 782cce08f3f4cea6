using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using CompiledNets.Testing;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Before/after numbers for a kernel change on a noisy machine (<c>-- --kernels NETWORK --against DIR</c>): loads the
/// benchmarks assembly of another build (DIR: its bin/Release/net10.0, e.g. of a git worktree at the previous commit)
/// beside this one and times each generated kernel of both builds alternately, 25 rounds of 40 ms, in one process.
/// Runs minutes apart differ by up to 20 % here; alternating rounds of the same process see the same machine, and
/// unchanged kernels then agree within about 10 % (microsecond kernels) or 5 % (millisecond ones).
/// Both builds use this process's CompiledNets runtime: it compares generated code, not runtime changes.
/// </summary>
internal static class KernelComparison
{
    public static void Run(Type network, string baselineDirectory)
    {
        Type baseline = LoadBaseline(network, baselineDirectory);
        string suffix = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "512" : "256";
        Console.WriteLine($"{"kernel",-32} {"baseline",10} {"this build",10}   (medians of 25 alternating rounds)");
        foreach (MethodInfo kernel in GeneratedKernels.WithSuffix(network, suffix))
        {
            MethodInfo? before = baseline.GetMethod(kernel.Name, BindingFlags.NonPublic | BindingFlags.Static);
            if (before is null || !Comparable(before, kernel))
            {
                Console.WriteLine($"{kernel.Name,-32} {"(new)",10}");
                continue;
            }
            Action[] calls = { KernelProfile.Bind(before), KernelProfile.Bind(kernel) };
            foreach (Action call in calls) KernelProfile.Warm(call);
            var times = new List<double>[] { new(), new() };
            for (int round = 0; round < 25; round++)
                for (int build = 0; build < 2; build++)
                    times[build].Add(KernelProfile.TimePerCall(calls[build], milliseconds: 40));
            double a = KernelProfile.Median(times[0]), b = KernelProfile.Median(times[1]);
            Console.WriteLine($"{kernel.Name,-32} {a,8:0.00} µs {b,8:0.00} µs   {(b / a - 1) * 100,+4:+0;-0;0} %");
        }
    }

    /// <summary>
    /// The type <paramref name="network"/> as the benchmarks assembly in <paramref name="baselineDirectory"/> generated it,
    /// loaded beside this build's and bound to this process's CompiledNets runtime.
    /// </summary>
    public static Type LoadBaseline(Type network, string baselineDirectory)
    {
        string path = Path.Combine(Path.GetFullPath(baselineDirectory), Path.GetFileName(network.Assembly.Location));
        if (!File.Exists(path)) throw new FileNotFoundException($"No baseline build at {path}: pass the output folder of the other build.", path);
        var context = new AssemblyLoadContext("baseline");
        Assembly runtime = typeof(Optimizer).Assembly;
        context.Resolving += (_, name) => name.Name == runtime.GetName().Name ? runtime : null;
        return context.LoadFromAssemblyPath(path).GetType(network.FullName!)
            ?? throw new InvalidOperationException($"{path} has no {network.FullName}.");
    }

    /// <summary>
    /// Same parameters, or one build's kernel takes extra trailing scratch buffers (<c>ref float</c>) the other lacks:
    /// the inputs and outputs are the same, the scratch is the change being measured.
    /// </summary>
    private static bool Comparable(MethodInfo a, MethodInfo b)
    {
        string[] first = a.GetParameters().Select(p => p.ParameterType.FullName!).ToArray();
        string[] second = b.GetParameters().Select(p => p.ParameterType.FullName!).ToArray();
        string[] shorter = first.Length <= second.Length ? first : second, longer = first.Length <= second.Length ? second : first;
        return shorter.SequenceEqual(longer.Take(shorter.Length)) && longer.Skip(shorter.Length).All(type => type == typeof(float).MakeByRefType().FullName);
    }
}
