using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Threading;
using CompiledNets.Testing;

namespace CompiledNets.Benchmarks;

/// <summary>
/// A quick per-kernel breakdown for whoever tunes the emitters (<c>-- --kernels</c>): each generated
/// layer method of the network on its own, for the vector width this CPU runs, median of many timed
/// calls after the JIT has settled. Not a benchmark to quote; BenchmarkDotNet's numbers are.
/// </summary>
internal static class KernelProfile
{
    public static void Run(Type network)
    {
        string suffix = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "512" : "256";
        foreach (MethodInfo kernel in GeneratedKernels.WithSuffix(network, suffix))
        {
            Action call = Bind(kernel);
            Warm(call);
            var times = new List<double>();
            for (int sample = 0; sample < 21; sample++) times.Add(TimePerCall(call, milliseconds: 20));
            Console.WriteLine($"{kernel.Name,-32} {Median(times),8:0.00} µs");
        }
    }

    /// <summary>
    /// A call of <paramref name="kernel"/> on random buffers longer than the largest kernel or activation of the benchmark
    /// networks (the tutorial's dense kernel: 3.2M floats); batched kernels run the chunk a training step gives them
    /// (the tutorial's dense layer: 32 samples per call).
    /// </summary>
    public static Action Bind(MethodInfo kernel)
    {
        int chunk = (int)kernel.DeclaringType!.GetField("ChunkSize", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;
        return GeneratedKernels.Bind(kernel, GeneratedKernels.RandomBuffers(kernel, 1 << 22, seed: 1, _ => 4), chunk);
    }

    /// <summary>Calls <paramref name="call"/> for <paramref name="milliseconds"/>, then waits for tiered compilation to install the optimized code.</summary>
    public static void Warm(Action call, int milliseconds = 600, int pauseMilliseconds = 200)
    {
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < milliseconds) call();
        Thread.Sleep(pauseMilliseconds);
    }

    /// <summary>Microseconds per call over about <paramref name="milliseconds"/> of back-to-back calls, and at least <paramref name="minimumCalls"/>.</summary>
    public static double TimePerCall(Action call, int milliseconds, int minimumCalls = 1)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed.TotalMilliseconds < milliseconds || calls < minimumCalls)
        {
            call();
            calls++;
        }
        return clock.Elapsed.TotalMicroseconds / calls;
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
