using System;
using System.Globalization;
using System.IO;
using CompiledNets;
using CompiledNets.Benchmarks;
using CompiledNets.OnnxComparison;

// One side per process, as side-by-side-inference.sh alternates them: ONNX Runtime's intra-op threads spin after
// each run, and CompiledNets' workers spin before they block, so either would slow the other in one process.
//   save-initial NETWORK FILE                          the network's initial parameters (Keras layout, float32)
//   compilednets NETWORK THREADS IMAGES LABELS    times Predict (1 image) and PredictBatch (256)
//   onnxruntime NETWORK THREADS IMAGES LABELS MODEL.onnx   the same with ONNX Runtime (the twin exported from
//                                     save-initial's file), after checking that its probabilities match ours
// Every side builds the network with seed 0, which gives the parameters save-initial wrote.
if (args is not [var side, var networkName, ..])
{
    Console.Error.WriteLine("usage: save-initial NETWORK FILE | compilednets|onnxruntime NETWORK THREADS IMAGES LABELS [MODEL.onnx]");
    return 2;
}

ICompiledNetwork network = networkName switch
{
    "seed" => new SeedNetwork(seed: 0),
    "lenet5" => new LeNet5Network(seed: 0),
    "tutorial" => new TutorialConvNetwork(seed: 0),
    _ => throw new ArgumentException($"unknown network {networkName}; use seed, lenet5 or tutorial"),
};
if (side == "save-initial")
{
    using var file = File.Create(args[2]);
    file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.Parameters));
    return 0;
}

int threads = int.Parse(args[2], CultureInfo.InvariantCulture);
float[] images = Dataset.LoadIdx(args[3], args[4]).Slice(0, InferenceTiming.BatchSize).Images.ToArray();
InferenceTiming timing = side switch
{
    "compilednets" => CompiledNetsSide.Measure(network, threads, images),
    "onnxruntime" => OnnxRuntimeSide.Measure(args[5], network, threads, images),
    _ => throw new ArgumentException($"unknown side {side}; use compilednets or onnxruntime"),
};
Console.WriteLine(timing);
return 0;
