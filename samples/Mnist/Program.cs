// Trains the Keras MNIST CNN (see MnistNet.cs) for 10 epochs, batch 32, Adam, on the MNIST subset in
// data/mnist10k: the first 8,000 digits train, the last 2,000 test. The last line is "test accuracy: 0.xxxx".
// `--epochs N` trains for N epochs instead (the JIT guard test runs one).
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CompiledNets;
using Mnist;
using Spectre.Console;

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

/// <summary>Fit with a Keras-like progress bar per epoch (Spectre.Console) and one summary line per epoch.</summary>
internal static class TrainingDisplay
{
    public static History Fit(ICompiledNetwork net, Dataset train, Dataset validation, int epochs, int batchSize, Optimizer optimizer)
    {
        var epochLines = new Reporter<EpochResult>(result => Console.WriteLine(result));
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Redirected output (CI, a log file): the epoch lines alone, no bar redrawn in place.
            return net.Fit(train, epochs, batchSize, optimizer, new FitOptions { Validation = validation, EpochProgress = epochLines });
        }

        History? history = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask? bar = null;
                var options = new FitOptions
                {
                    Validation = validation,
                    BatchProgress = new Reporter<BatchProgress>(p =>
                    {
                        bar ??= context.AddTask($"Epoch {p.Epoch}/{p.Epochs}", maxValue: p.Batches);
                        bar.Value = p.Batch;
                        bar.Description = $"Epoch {p.Epoch}/{p.Epochs} loss {p.Loss:0.0000}";
                    }),
                    EpochProgress = new Reporter<EpochResult>(result =>
                    {
                        bar?.StopTask();
                        bar = null;
                        epochLines.Report(result);
                    }),
                };
                history = net.Fit(train, epochs, batchSize, optimizer, options);
            });
        return history!;
    }

    /// <summary>Reports synchronously on the training thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>Single-image inference latency: the median of many timed <c>Predict</c> calls after a warm-up.</summary>
internal static class PredictLatency
{
    public static double MedianMicroseconds(ICompiledNetwork net, Dataset images, int calls = 20000)
    {
        var output = new float[net.OutputSize];
        for (int i = 0; i < 2000; i++) net.Predict(images.Sample(i % images.Count), output); // reach optimized code
        var times = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            net.Predict(images.Sample(i % images.Count), output);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return times[calls / 2];
    }
}
