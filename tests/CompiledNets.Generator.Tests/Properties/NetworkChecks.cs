extern alias Runtime;

using System;
using System.Collections.Generic;
using System.Linq;
using ICompiledNetwork = Runtime::CompiledNets.ICompiledNetwork;
using SeededRandom = Runtime::CompiledNets.SeededRandom;

namespace CompiledNets.Generator.Tests.Properties;

/// <summary>What the checks of one network found: its problems (empty when it passed) and what it counted.</summary>
internal sealed class NetworkReport
{
    public NetworkReport(RandomNetwork network) => Network = network;

    public RandomNetwork Network { get; }

    public List<string> Problems { get; } = new();

    public List<PointCheck> Points { get; } = new();

    public int Kinks => Points.Count(p => p.Verdict == PointVerdict.Kink);

    public int PredictedSamples { get; set; }

    /// <summary>Largest difference between ComputeGradients with several workers and with one, over what it was allowed.</summary>
    public double WorstWorkerRatio { get; set; }

    /// <summary>Largest error of an agreeing point over what it was allowed (how close the tolerances run).</summary>
    public double WorstErrorRatio => Points.Where(p => p.Verdict != PointVerdict.Kink).Select(p => p.Error / p.Allowed).DefaultIfEmpty(0).Max();
}

/// <summary>
/// The properties every valid network must have, checked through <see cref="ICompiledNetwork"/> alone:
/// <list type="bullet">
/// <item>ComputeGradients is repeatable, bit for bit, and its <c>Gradients</c> agree with central finite
/// differences of the mean loss it returns, for a sample of every kernel and every bias;</item>
/// <item>InputGradient agrees with finite differences of the one-sample loss at a few input positions;</item>
/// <item>ComputeGradients with 2 and 3 workers agrees with 1 worker up to the order of its sums;</item>
/// <item>PredictBatch with 1, 2 and 3 workers equals Predict, sample by sample, bit for bit.</item>
/// </list>
/// </summary>
internal static class NetworkChecks
{
    /// <summary>Samples in the batch whose mean loss is differentiated: more than one (the mean is checked), odd (workers split it unevenly).</summary>
    public const int Batch = 3;

    /// <summary>Samples PredictBatch runs: more than the most workers, not a multiple of them.</summary>
    public const int PredictSamples = 7;

    /// <summary>Coordinates checked per kernel, per bias, and of the input.</summary>
    public const int KernelPoints = 4, BiasPoints = 2, InputPoints = 5;

    /// <summary>Worker counts PredictBatch and ComputeGradients are tried with.</summary>
    private static readonly int[] WorkerCounts = { 1, 2, 3 };

    /// <summary>
    /// ComputeGradients with several workers sums each worker's samples and then the workers: the same terms in
    /// another order. Each element may differ by this much of the sum of the magnitudes of its per-sample terms
    /// (measured: a hundredth of it); a lost or doubled share would be off by a whole term.
    /// </summary>
    private const double WorkerOrderTolerance = 1e-4;

    public static NetworkReport Run(RandomNetwork network, ICompiledNetwork net)
    {
        var report = new NetworkReport(network);
        try
        {
            Check(network, net, report);
        }
        finally
        {
            net.WorkerCount = 1; // ends the pool's threads
        }
        return report;
    }

    private static void Check(RandomNetwork network, ICompiledNetwork net, NetworkReport report)
    {
        if (net.InputSize != network.Input.Size || net.OutputSize != network.Output.Size || net.ParameterCount != network.ParameterCount)
        {
            report.Problems.Add($"sizes: the network says input {net.InputSize}, output {net.OutputSize}, {net.ParameterCount} parameters; " +
                $"the layers make input {network.Input.Size}, output {network.Output.Size}, {network.ParameterCount} parameters");
            return;
        }

        var random = new SeededRandom(network.Seed, stream: 1);
        net.WorkerCount = 1;
        Span<float> parameters = net.Parameters;
        // Glorot kernels as the network drew them; biases are zero from InitializeParameters, and a bias read from
        // the wrong place would go unnoticed, so they get values. Everything on the grid the exact steps need.
        foreach (ParameterGroup group in network.Parameters.Where(g => g.IsBias))
        {
            for (int i = group.Offset; i < group.Offset + group.Length; i++) parameters[i] = Uniform(ref random, 0.1f);
        }
        for (int i = 0; i < parameters.Length; i++) parameters[i] = CentralDifference.Snap(parameters[i]);

        float[] inputs = Samples(ref random, Math.Max(Batch, PredictSamples) * net.InputSize);
        int[] labels = Enumerable.Range(0, Math.Max(Batch, PredictSamples)).Select(_ => random.NextInt32(network.Classes)).ToArray();
        float[] predictions = CheckPredictions(net, inputs, report);
        if (network.HasDropout) return; // a training pass draws a new mask every call: no derivative to take
        CheckGradients(network, net, random, inputs, labels, report);

        // Every coordinate is back where it was, and the code has run a few hundred times since: the tiered JIT may
        // have recompiled it, which must not change a single bit (tiers differing in, say, fusing a multiply-add would).
        var later = new float[predictions.Length];
        net.PredictBatch(inputs, later);
        if (!BitwiseEqual(predictions, later))
            report.Problems.Add("Predict gives other bits after the gradient checks than before them, with the same parameters and inputs");
    }

    private static void CheckGradients(RandomNetwork network, ICompiledNetwork net, SeededRandom random, float[] inputs, int[] labels, NetworkReport report)
    {
        float[] batch = inputs.AsSpan(0, Batch * net.InputSize).ToArray();
        int[] batchLabels = labels.AsSpan(0, Batch).ToArray();

        float loss = net.ComputeGradients(batch, batchLabels);
        float[] analytic = net.Gradients.ToArray();
        float again = net.ComputeGradients(batch, batchLabels);
        if (BitConverter.SingleToInt32Bits(again) != BitConverter.SingleToInt32Bits(loss) || !BitwiseEqual(analytic, net.Gradients))
        {
            report.Problems.Add($"ComputeGradients is not repeatable: loss {loss:G9}, then {again:G9} (or the gradients changed)");
            return;
        }
        if (!float.IsFinite(loss) || analytic.Any(g => !float.IsFinite(g)))
        {
            report.Problems.Add($"ComputeGradients gave a loss of {loss:G9} and {analytic.Count(g => !float.IsFinite(g))} non-finite gradients");
            return;
        }

        CheckWorkerCounts(net, batch, batchLabels, loss, analytic, report);

        foreach (ParameterGroup group in network.Parameters)
        {
            int points = Math.Min(group.Length, group.IsBias ? BiasPoints : KernelPoints);
            foreach (int index in Distinct(ref random, group.Length, points))
            {
                int i = group.Offset + index;
                PointCheck point = CentralDifference.Check(analytic[i], loss, () => net.Parameters[i], v => net.Parameters[i] = v,
                    () => (net.ComputeGradients(batch, batchLabels), net.Gradients[i]));
                report.Points.Add(point);
                if (point.Verdict == PointVerdict.Disagrees) report.Problems.Add($"{group.Name}[{index}] (parameter {i}): {point}");
            }
        }

        // One sample against its label: InputGradient's loss is that sample's, which ComputeGradients of a batch of one returns.
        float[] sample = inputs.AsSpan(0, net.InputSize).ToArray();
        int[] label = { labels[0] };
        var inputGradient = new float[net.InputSize];
        net.InputGradient(sample, label[0], inputGradient);
        float sampleLoss = net.ComputeGradients(sample, label);
        var probe = new float[net.InputSize];
        foreach (int i in Distinct(ref random, net.InputSize, Math.Min(net.InputSize, InputPoints)))
        {
            PointCheck point = CentralDifference.Check(inputGradient[i], sampleLoss, () => sample[i], v => sample[i] = v, () =>
            {
                net.InputGradient(sample, label[0], probe);
                return (net.ComputeGradients(sample, label), probe[i]);
            });
            report.Points.Add(point);
            if (point.Verdict == PointVerdict.Disagrees) report.Problems.Add($"input[{i}] (label {label[0]}): {point}");
        }
    }

    /// <summary>PredictBatch, with every worker count, against Predict one sample at a time: the same code, so the same bits. Returns Predict's outputs.</summary>
    private static float[] CheckPredictions(ICompiledNetwork net, float[] inputs, NetworkReport report)
    {
        int count = inputs.Length / net.InputSize;
        var expected = new float[count * net.OutputSize];
        for (int n = 0; n < count; n++)
            net.Predict(inputs.AsSpan(n * net.InputSize, net.InputSize), expected.AsSpan(n * net.OutputSize, net.OutputSize));
        report.PredictedSamples = count;

        foreach (int workers in WorkerCounts)
        {
            net.WorkerCount = workers;
            var actual = new float[expected.Length];
            net.PredictBatch(inputs, actual);
            int first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]), -1);
            if (first >= 0)
            {
                report.Problems.Add($"PredictBatch with {workers} worker(s) differs from Predict: sample {first / net.OutputSize}, output {first % net.OutputSize}: " +
                    $"Predict {expected[first]:G9}, PredictBatch {actual[first]:G9}");
            }
        }
        net.WorkerCount = 1;
        if (expected.Any(v => !float.IsFinite(v))) report.Problems.Add("Predict gave a non-finite output");
        return expected;
    }

    /// <summary>
    /// ComputeGradients over the batch with 2 and 3 workers against 1 worker. The tolerance of each element comes from
    /// the per-sample gradients (each sample alone, scaled by 1/<see cref="Batch"/> as in the batch).
    /// </summary>
    private static void CheckWorkerCounts(ICompiledNetwork net, float[] batch, int[] labels, float loss, float[] gradients, NetworkReport report)
    {
        int size = net.InputSize;
        var magnitude = new double[gradients.Length];
        for (int n = 0; n < labels.Length; n++)
        {
            net.ComputeGradients(batch.AsSpan(n * size, size), labels.AsSpan(n, 1));
            ReadOnlySpan<float> one = net.Gradients;
            for (int i = 0; i < magnitude.Length; i++) magnitude[i] += Math.Abs(one[i]) / labels.Length;
        }

        foreach (int workers in WorkerCounts.Where(w => w > 1))
        {
            net.WorkerCount = workers;
            float split = net.ComputeGradients(batch, labels);
            ReadOnlySpan<float> actual = net.Gradients;
            if (Math.Abs(split - loss) > 1e-6 * Math.Abs(loss) + 1e-7)
                report.Problems.Add($"ComputeGradients with {workers} workers: loss {split:G9}, with 1 worker {loss:G9}");
            for (int i = 0; i < gradients.Length; i++)
            {
                double allowed = WorkerOrderTolerance * magnitude[i] + 1e-12, difference = Math.Abs(actual[i] - (double)gradients[i]);
                report.WorstWorkerRatio = Math.Max(report.WorstWorkerRatio, difference / allowed);
                if (!(difference <= allowed))
                {
                    report.Problems.Add($"ComputeGradients with {workers} workers: gradient {i} is {actual[i]:G9}, with 1 worker {gradients[i]:G9} (allowed {allowed:G3})");
                    break;
                }
            }
        }
        net.WorkerCount = 1;
    }

    /// <summary>Input values in [-1, 1), on the grid.</summary>
    private static float[] Samples(ref SeededRandom random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = CentralDifference.Snap(Uniform(ref random, 1f));
        return values;
    }

    private static float Uniform(ref SeededRandom random, float limit) => (2 * random.NextSingle() - 1) * limit;

    /// <summary><paramref name="count"/> distinct indices below <paramref name="length"/>, in the order drawn.</summary>
    private static List<int> Distinct(ref SeededRandom random, int length, int count)
    {
        var chosen = new List<int>();
        while (chosen.Count < count)
        {
            int index = random.NextInt32(length);
            if (!chosen.Contains(index)) chosen.Add(index);
        }
        return chosen;
    }

    private static bool BitwiseEqual(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i])) return false;
        }
        return true;
    }
}
