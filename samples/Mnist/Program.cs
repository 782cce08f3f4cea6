// Trains the Keras MNIST CNN (see MnistNet.cs) for 10 epochs, batch 32, Adam, on the MNIST subset in
// data/mnist10k: the first 8,000 digits train, the last 2,000 test. The last line is "test accuracy: 0.xxxx".
// `--epochs N` trains for N epochs instead (the JIT guard test runs one).
using System;
using System.IO;
using System.Linq;
using CompiledNets;
using Mnist;

const int BatchSize = 32, TrainCount = 8000;
int epochs = args is ["--epochs", var count] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 10;

string data = Path.Combine(AppContext.BaseDirectory, "data");
Dataset digits = Dataset.LoadIdx(Path.Combine(data, "images-idx3-ubyte.gz"), Path.Combine(data, "labels-idx1-ubyte.gz"));
Dataset train = digits.Slice(0, TrainCount), test = digits.Slice(TrainCount, digits.Count - TrainCount);

var net = new MnistNet(); // Glorot-uniform kernels, zero biases, seed 0
Console.WriteLine(MnistNet.Summary);
Console.WriteLine($"Training on {train.Count:N0} digits, testing on {test.Count:N0}; {net.WorkerCount} worker thread(s).");

History history = TrainingDisplay.Fit(net, train, test, epochs, BatchSize, new Adam());

Evaluation evaluation = net.Evaluate(test);
Console.WriteLine();
Console.WriteLine(evaluation.Format());

// The median, not the mean: the first epoch also pays for the JIT reaching optimized code.
double trainingSeconds = history.Epochs.Select(e => e.Elapsed.TotalSeconds).Order().ElementAt(history.Epochs.Count / 2);
Console.WriteLine($"time per epoch (median): {trainingSeconds:0.000} s for {train.Count:N0} images " +
                  $"({trainingSeconds * 60000 / train.Count:0.00} s per 60,000-image epoch, validation included)");
Console.WriteLine($"Predict, one image: median {PredictLatency.MedianMicroseconds(net, test):0.00} µs");
Console.WriteLine($"test accuracy: {evaluation.Accuracy:0.0000}");
