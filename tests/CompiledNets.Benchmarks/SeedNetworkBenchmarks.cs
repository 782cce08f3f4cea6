using System;
using BenchmarkDotNet.Attributes;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The seed network's inference and training steps. Inputs are random pixels and labels (speed does not
/// depend on the values). TrainStep includes the Adam update, as it does in Fit.
/// </summary>
[MemoryDiagnoser]
public class SeedNetworkBenchmarks
{
    private SeedNetwork _network = null!;
    private float[] _inputs = null!, _outputs = null!, _output = null!;
    private int[] _labels = null!;
    private Adam _adam = null!;

    /// <summary>Threads a batch is split over (default: all cores, as a user gets).</summary>
    [Params(0)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _network = new SeedNetwork(seed: 1);
        if (Workers > 0) _network.WorkerCount = Workers;
        var random = new SeededRandom(2);
        _inputs = new float[256 * SeedNetwork.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[256];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.NextInt32(SeedNetwork.OutputSize);
        _outputs = new float[256 * SeedNetwork.OutputSize];
        _output = new float[SeedNetwork.OutputSize];
        _adam = new Adam();
    }

    [Benchmark(Description = "Predict (1 image)")]
    [Workload(typeof(SeedNetwork), 1, training: false)]
    public void Predict() => _network.Predict(_inputs.AsSpan(0, SeedNetwork.InputSize), _output);

    [Benchmark(Description = "PredictBatch (256)")]
    [Workload(typeof(SeedNetwork), 256, training: false)]
    public void PredictBatch() => _network.PredictBatch(_inputs, _outputs);

    [Benchmark(Description = "TrainStep (32)")]
    [Workload(typeof(SeedNetwork), 32, training: true)]
    public float TrainStep32() => _network.TrainStep(_inputs.AsSpan(0, 32 * SeedNetwork.InputSize), _labels.AsSpan(0, 32), _adam);

    [Benchmark(Description = "TrainStep (64)")]
    [Workload(typeof(SeedNetwork), 64, training: true)]
    public float TrainStep64() => _network.TrainStep(_inputs.AsSpan(0, 64 * SeedNetwork.InputSize), _labels.AsSpan(0, 64), _adam);
}
