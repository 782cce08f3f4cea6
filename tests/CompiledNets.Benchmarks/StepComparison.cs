using System;
using System.Collections.Generic;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Before/after numbers for a change to whole steps (<c>-- --steps NETWORK --against DIR</c>): what
/// <see cref="KernelComparison"/> does for single kernels, for Predict, and PredictBatch(256) and TrainStep(32) with
/// one and two workers, so that chunk sizes, fixed per-step work and synchronization are measured as users see them.
/// Each network of the two builds is warmed for 1.5 s (tiered compilation, then a pause for the background JIT),
/// then the builds alternate, 15 rounds of at least 80 ms and 3 calls each; medians are printed. As with kernels,
/// both builds share this process's CompiledNets runtime.
/// </summary>
internal static class StepComparison
{
    public static void Run(Type network, string baselineDirectory)
    {
        Type baseline = KernelComparison.LoadBaseline(network, baselineDirectory);
        Console.WriteLine($"{"step",-32} {"baseline",10} {"this build",10}   (medians of 15 alternating rounds)");
        foreach (var (name, workers, make) in Workloads())
        {
            Action[] calls = { make(Create(baseline, workers)), make(Create(network, workers)) };
            foreach (Action call in calls) KernelProfile.Warm(call, milliseconds: 1500, pauseMilliseconds: 300);
            var times = new List<double>[] { new(), new() };
            for (int round = 0; round < 15; round++)
                for (int build = 0; build < 2; build++)
                    times[build].Add(KernelProfile.TimePerCall(calls[build], milliseconds: 80, minimumCalls: 3));
            double a = KernelProfile.Median(times[0]), b = KernelProfile.Median(times[1]);
            Console.WriteLine($"{name,-32} {a,8:0.0} µs {b,8:0.0} µs   {(b / a - 1) * 100,+4:+0;-0;0} %");
        }
    }

    private static ICompiledNetwork Create(Type network, int workers)
    {
        var net = (ICompiledNetwork)Activator.CreateInstance(network, 0)!;
        net.WorkerCount = workers;
        return net;
    }

    /// <summary>The steps compared: a name, the worker count, and a call on a network built with that count.</summary>
    private static IEnumerable<(string Name, int Workers, Func<ICompiledNetwork, Action> Make)> Workloads()
    {
        yield return ("Predict", 1, net =>
        {
            float[] input = Images(net, 1), output = new float[net.OutputSize];
            return () => net.Predict(input, output);
        });
        foreach (int workers in new[] { 1, 2 })
        {
            yield return ($"PredictBatch(256), {Workers(workers)}", workers, net =>
            {
                float[] inputs = Images(net, 256), outputs = new float[256 * net.OutputSize];
                return () => net.PredictBatch(inputs, outputs);
            });
        }
        foreach (int workers in new[] { 1, 2 })
        {
            yield return ($"TrainStep(32), {Workers(workers)}", workers, net =>
            {
                float[] inputs = Images(net, 32);
                int[] labels = new int[32];
                for (int i = 0; i < labels.Length; i++) labels[i] = i % net.OutputSize;
                var adam = new Adam();
                return () => net.TrainStep(inputs, labels, adam);
            });
        }
    }

    private static string Workers(int count) => count == 1 ? "1 worker" : $"{count} workers";

    /// <summary>Images like MNIST's: about half the pixels 0, the rest in (0, 1].</summary>
    private static float[] Images(ICompiledNetwork net, int count)
    {
        var random = new Random(1);
        var images = new float[count * net.InputSize];
        for (int i = 0; i < images.Length; i++) images[i] = random.Next(2) == 0 ? 0f : 1f - random.NextSingle();
        return images;
    }
}
