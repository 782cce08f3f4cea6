// Shared by the samples (linked into each project): the training display and the latency probe.
using System;
using System.Diagnostics;
using CompiledNets;
using Spectre.Console;

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
