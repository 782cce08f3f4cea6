using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// One side of side-by-side.sh: trains a network (seed, lenet5 or tutorial) for one epoch (Adam with epsilon
/// 1e-7, shuffled) on an IDX data set and prints the seconds, as the PyTorch twin does. With --save-initial it
/// first writes the initial parameters (Keras layout, float32) so the twin starts from the same weights.
/// Usage: -- --epoch IMAGES LABELS WORKERS [--network NAME] [--batch N] [--save-initial FILE]
/// </summary>
internal static class EpochTiming
{
    public static void Run(string[] args)
    {
        Dataset data = Dataset.LoadIdx(args[1], args[2]);
        int workers = int.Parse(args[3], CultureInfo.InvariantCulture);
        string network = Option(args, "--network") ?? "seed";
        int batch = int.Parse(Option(args, "--batch") ?? "32", CultureInfo.InvariantCulture);
        ICompiledNetwork net = network switch
        {
            "seed" => new SeedNetwork(seed: 0),
            "lenet5" => new LeNet5Network(seed: 0),
            "tutorial" => new TutorialConvNetwork(seed: 0),
            _ => throw new ArgumentException($"unknown network {network}; use seed, lenet5 or tutorial"),
        };
        net.WorkerCount = workers;
        if (Option(args, "--save-initial") is { } initial)
        {
            using var file = File.Create(initial);
            file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(net.Parameters));
        }
        // A warm-up so the epoch runs optimized code, as PyTorch's kernels are compiled ahead of time: tiered
        // compilation promotes a method after 30 calls and a 100 ms quiet period, compiling it in the background,
        // so two short fits with pauses between them leave no kernel at Tier0 (one fit of 2,048 images did).
        for (int round = 0; round < 2; round++)
        {
            net.Fit(data.Slice(0, Math.Min(4096, data.Count)), epochs: 1, batchSize: batch, optimizer: new Adam());
            System.Threading.Thread.Sleep(300);
        }
        net.InitializeParameters(0);
        var started = Stopwatch.GetTimestamp();
        History history = net.Fit(data, epochs: 1, batchSize: batch, optimizer: new Adam(epsilon: 1e-7f), new FitOptions { ShuffleSeed = 1 });
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compilednets {seconds:0.000} s loss {history.Epochs[0].TrainLoss:0.0000}"));
    }

    private static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
