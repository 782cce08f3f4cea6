using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;

namespace CompiledNets.Benchmarks;

/// <summary>
/// A quick per-kernel breakdown for whoever tunes the emitters (<c>-- --kernels</c>): each generated
/// layer method of the seed network on its own, for the vector width this CPU runs, median of many timed
/// calls after the JIT has settled. Not a benchmark to quote; BenchmarkDotNet's numbers are.
/// </summary>
internal static class KernelProfile
{
    private delegate void FloatFloatFloat(ref float a, ref float b, ref float c);
    private delegate void FloatFloatInt(ref float a, ref float b, ref int c);
    private delegate void FloatIntFloat(ref float a, ref int b, ref float c);

    public static void Run(Type network)
    {
        string suffix = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "512" : "256";
        var random = new Random(1);
        float[] Buffer() => Enumerable.Range(0, 1 << 17).Select(_ => (float)random.NextDouble()).ToArray();
        float[] a = Buffer(), b = Buffer(), c = Buffer();
        int[] positions = new int[1 << 17];
        var kernels = network.GetMethods(BindingFlags.NonPublic | BindingFlags.Static).Where(m => m.Name.EndsWith(suffix, StringComparison.Ordinal));
        foreach (MethodInfo kernel in kernels)
        {
            Type[] types = kernel.GetParameters().Select(p => p.ParameterType.GetElementType()!).ToArray();
            Action call;
            if (types.All(t => t == typeof(float))) { var d = kernel.CreateDelegate<FloatFloatFloat>(); call = () => d(ref a[0], ref b[0], ref c[0]); }
            else if (types[2] == typeof(int)) { var d = kernel.CreateDelegate<FloatFloatInt>(); call = () => d(ref a[0], ref b[0], ref positions[0]); }
            else { var d = kernel.CreateDelegate<FloatIntFloat>(); call = () => d(ref a[0], ref positions[0], ref c[0]); }
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < 2000; i++) call();
                Thread.Sleep(200); // let tiered compilation install the optimized code
            }
            var times = new double[41];
            for (int t = 0; t < times.Length; t++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < 200; i++) call();
                times[t] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / 200;
            }
            Array.Sort(times);
            Console.WriteLine($"{kernel.Name,-32} {times[times.Length / 2],8:0.00} µs");
        }
    }
}
