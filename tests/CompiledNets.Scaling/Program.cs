using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Threading;
using CompiledNets;
using CompiledNets.Testing;
using CompiledNets.Scaling;

// Usage: CompiledNets.Scaling [check|scaling]   (both when no argument)
Console.WriteLine($"{Environment.ProcessorCount} processors, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}");
bool ok = true;
if (args.Length == 0 || args[0] == "check") ok = KernelCheck.Run();
if (args.Length == 0 || args[0] == "scaling") Scaling.Run();
return ok ? 0 : 1;

namespace CompiledNets.Scaling
{
    [CompiledNetwork]
    [Input(28, 28, 1)]
    [Conv2D(32, 3, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(10, Activation = Activation.Softmax)]
    [Loss(LossFunction.CategoricalCrossEntropy)]
    public partial class SeedNetwork
    {
    }

    /// <summary>Median time of TrainStep and PredictBatch for 1, 2, 4, ... workers, up to the processor count.</summary>
    internal static class Scaling
    {
        public static void Run()
        {
            Console.WriteLine("workers  TrainStep(32) µs  TrainStep(256) µs  PredictBatch(256) µs  train images/s(256)");
            for (int workers = 1; workers <= Environment.ProcessorCount; workers *= 2)
            {
                var net = new SeedNetwork(1) { WorkerCount = workers };
                var random = new SeededRandom(2);
                var inputs = new float[256 * SeedNetwork.InputSize];
                for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle();
                var labels = new int[256];
                for (int i = 0; i < labels.Length; i++) labels[i] = random.NextInt32(SeedNetwork.OutputSize);
                var outputs = new float[256 * SeedNetwork.OutputSize];
                var adam = new Adam();
                ReadOnlySpan<float> Batch(int n) => inputs.AsSpan(0, n * SeedNetwork.InputSize);
                for (int round = 0; round < 3; round++)
                {
                    for (int i = 0; i < 100; i++) net.TrainStep(Batch(32), labels.AsSpan(0, 32), adam);
                    net.PredictBatch(inputs, outputs);
                    Thread.Sleep(200);
                }
                double train32 = Median(() => net.TrainStep(Batch(32), labels.AsSpan(0, 32), adam));
                double train256 = Median(() => net.TrainStep(inputs, labels, adam));
                double predict = Median(() => net.PredictBatch(inputs, outputs));
                Console.WriteLine($"{workers,7}  {train32,16:0}  {train256,17:0}  {predict,20:0}  {256 / (train256 / 1e6),19:N0}");
            }
        }

        private static double Median(Action action)
        {
            var times = new double[51];
            for (int i = 0; i < times.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                action();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            return times[times.Length / 2];
        }
    }

    /// <summary>Each generated 512- and 256-bit kernel body against the scalar reference, on this CPU (see SimdPathTests).</summary>
    internal static class KernelCheck
    {
        public static bool Run()
        {
            bool ok = true;
            foreach (var reference in GeneratedKernels.WithSuffix(typeof(SeedNetwork), "Scalar"))
            {
                int seed = reference.Name.Length * 7919;
                object[] expected = GeneratedKernels.RandomBuffers(reference, 200_000, seed, _ => 4);
                GeneratedKernels.Bind(reference, expected)();
                foreach (string suffix in new[] { "512", "256" })
                {
                    var method = GeneratedKernels.Sibling(reference, "Scalar", suffix);
                    object[] actual = GeneratedKernels.RandomBuffers(reference, 200_000, seed, _ => 4);
                    GeneratedKernels.Bind(method, actual)();
                    double worst = 0;
                    for (int a = 0; a < actual.Length; a++)
                    {
                        if (actual[a] is float[] f)
                        {
                            var e = (float[])expected[a];
                            double scale = e.Max(v => Math.Abs((double)v));
                            for (int i = 0; i < f.Length; i++) worst = Math.Max(worst, Math.Abs(f[i] - e[i]) / (1e-5 * scale + 1e-5 * Math.Abs(e[i])));
                        }
                        else if (!((int[])actual[a]).SequenceEqual((int[])expected[a])) worst = double.PositiveInfinity;
                    }
                    bool pass = worst <= 1;
                    ok &= pass;
                    Console.WriteLine($"{method.Name,-32} {(pass ? "ok" : "MISMATCH")} (worst error {worst:0.00} of tolerance)");
                }
            }
            return ok;
        }
    }
}
