// Trains the TensorFlow tutorial convnet (FashionNet.cs) on the full Fashion-MNIST, 60,000 training and
// 10,000 test images, with Adam and batch 64, then evaluates it. The last line is "test accuracy: 0.xxxx".
// Options: --data DIR (else $FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist), --epochs N (default 10),
// --train N (use only the first N training images, for a quick try).
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using CompiledNets;
using FashionMnist;

const int BatchSize = 64;
string? dataOption = null;
int epochs = 10, trainLimit = int.MaxValue;
for (int i = 0; i < args.Length; i++)
{
    string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i++])
    {
        case "--data": dataOption = value; break;
        case "--epochs": epochs = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--train": trainLimit = int.Parse(value, CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"unknown option {args[i - 1]}; use --data DIR, --epochs N, --train N");
    }
}

var (folder, source) = DataLocation.Choose(dataOption);
string[] missing = DataLocation.Missing(folder);
if (missing.Length > 0)
{
    Console.Error.WriteLine(DataLocation.Help(folder, source, missing));
    return 2;
}

Dataset train = Dataset.LoadIdx(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Path.Combine(folder, "train-labels-idx1-ubyte.gz"));
Dataset test = Dataset.LoadIdx(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
if (trainLimit < train.Count) train = train.Slice(0, trainLimit);

var net = new FashionNet(); // Glorot-uniform kernels, zero biases, seed 0
Console.WriteLine(FashionNet.Summary);
Console.WriteLine($"Fashion-MNIST from {folder}: training on {train.Count:N0} images, testing on {test.Count:N0}; {net.WorkerCount} worker thread(s).");

History history = TrainingDisplay.Fit(net, train, test, epochs, BatchSize, new Adam());

Evaluation evaluation = net.Evaluate(test);
Console.WriteLine();
Console.WriteLine(evaluation.Format());
double epochSeconds = history.Epochs.Select(e => e.Elapsed.TotalSeconds).Order().ElementAt(history.Epochs.Count / 2);
double totalSeconds = history.Epochs.Sum(e => e.Elapsed.TotalSeconds);
Console.WriteLine($"time per epoch (median): {epochSeconds:0.0} s for {train.Count:N0} images ({train.Count / epochSeconds:N0} images/s, validation included); {epochs} epochs in {totalSeconds:0} s");
Console.WriteLine($"test accuracy: {evaluation.Accuracy:0.0000}");
return 0;
