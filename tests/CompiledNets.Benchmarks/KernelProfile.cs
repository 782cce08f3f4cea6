using System;
using System.Diagnostics;
using System.Reflection;
using System.Threading;
using CompiledNets.Testing;

namespace CompiledNets.Benchmarks;

/// <summary>
/// A quick per-kernel breakdown for whoever tunes the emitters (<c>-- --kernels</c>): each generated
/// layer method of the seed network on its own, for the vector width this CPU runs, median of many timed
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
            long started = Stopwatch.GetTimestamp();
            int calls = 0;
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < 50 || Stopwatch.GetElapsedTime(started).TotalMilliseconds < 300 * (round + 1); i++, calls++) call();
                Thread.Sleep(200); // let tiered compilation install the optimized code
            }
            int perSample = Math.Clamp(calls / 10, 1, 200);
            var times = new double[21];
            for (int t = 0; t < times.Length; t++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < perSample; i++) call();
                times[t] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / perSample;
            }
            Array.Sort(times);
            Console.WriteLine($"{kernel.Name,-32} {times[times.Length / 2],8:0.00} µs");
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
}
