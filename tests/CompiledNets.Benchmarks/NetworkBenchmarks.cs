using System;
using BenchmarkDotNet.Attributes;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// A network's inference and training steps. Inputs are random pixels and labels (speed does not depend on the
/// values). TrainStep includes the Adam update, as it does in Fit. Each network is a subclass, so results
/// group by network; the throughput columns read its FLOP constants.
/// </summary>
[MemoryDiagnoser]
public abstract class NetworkBenchmarks<TNetwork> where TNetwork : ICompiledNetwork, new()
{
    private const int MaxImages = 256;
    private TNetwork _network = default!;
    private float[] _inputs = null!, _outputs = null!, _output = null!;
    private int[] _labels = null!;
    private Adam _adam = null!;

    /// <summary>Threads a batch is split over (default: all cores, as a user gets).</summary>
    [Params(0)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _network = new TNetwork();
        if (Workers > 0) _network.WorkerCount = Workers;
        var random = new SeededRandom(2);
        _inputs = new float[MaxImages * _network.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[MaxImages];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.NextInt32(_network.OutputSize);
        _outputs = new float[MaxImages * _network.OutputSize];
        _output = new float[_network.OutputSize];
        _adam = new Adam();
    }

    [Benchmark(Description = "Predict (1 image)")]
    [Workload(1, training: false)]
    public void Predict() => _network.Predict(_inputs.AsSpan(0, _network.InputSize), _output);

    [Benchmark(Description = "PredictBatch (256)")]
    [Workload(256, training: false)]
    public void PredictBatch() => _network.PredictBatch(_inputs, _outputs);

    [Benchmark(Description = "TrainStep (32)")]
    [Workload(32, training: true)]
    public float TrainStep32() => _network.TrainStep(_inputs.AsSpan(0, 32 * _network.InputSize), _labels.AsSpan(0, 32), _adam);

    [Benchmark(Description = "TrainStep (64)")]
    [Workload(64, training: true)]
    public float TrainStep64() => _network.TrainStep(_inputs.AsSpan(0, 64 * _network.InputSize), _labels.AsSpan(0, 64), _adam);
}

/// <summary>The seed network: the Keras MNIST CNN.</summary>
public class SeedNetworkBenchmarks : NetworkBenchmarks<SeedNetwork>
{
}

/// <summary>LeNet-5: tanh, average pooling, three dense layers.</summary>
public class LeNet5Benchmarks : NetworkBenchmarks<LeNet5Network>
{
}

/// <summary>The TensorFlow tutorial convnet of samples/FashionMnist: 27.8 MFLOP per image forward.</summary>
public class TutorialConvNetBenchmarks : NetworkBenchmarks<TutorialConvNetwork>
{
}
