using System;
using System.Diagnostics;

namespace CompiledNets;

/// <summary>Keras-like training and evaluation of any generated network: <c>net.Fit(...)</c> and <c>net.Evaluate(...)</c>.</summary>
public static partial class NetworkTraining
{
    // Batch reports per epoch, at most (plus the last batch), so a progress display costs nothing measurable.
    private const int BatchReportsPerEpoch = 20;

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="train"/> for <paramref name="epochs"/> passes of mini-batches
    /// of <paramref name="batchSize"/> samples (the last batch of an epoch keeps the remainder, as Keras does), one
    /// <see cref="ICompiledNetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, Optimizer)"/> per batch.
    /// </summary>
    /// <param name="network">A network with a <c>[Loss]</c>.</param>
    /// <param name="train">Training samples; their size must be the network's <see cref="ICompiledNetwork.InputSize"/>.</param>
    /// <param name="epochs">Passes over the data, at least 1.</param>
    /// <param name="batchSize">Samples per step, at least 1.</param>
    /// <param name="optimizer">Updates the parameters after each batch; it keeps its state between calls.</param>
    /// <param name="options">Shuffling, validation data and progress reports; <see langword="null"/> for the defaults.</param>
    /// <returns>The result of every epoch.</returns>
    public static History Fit(this ICompiledNetwork network, Dataset train, int epochs, int batchSize, Optimizer optimizer, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new FitOptions();
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Train for at least 1 epoch.");
        TrainingArguments.CheckBatchSize(batchSize, nameof(batchSize));
        TrainingArguments.CheckTrainable(network);
        int classes = TrainingArguments.ClassesOf(network);
        TrainingArguments.CheckDataset(network, train, classes, nameof(train));
        if (options.Validation is not null) TrainingArguments.CheckDataset(network, options.Validation, classes, nameof(options) + ".Validation");

        int sampleSize = network.InputSize;
        int batchCapacity = Math.Min(batchSize, train.Count);
        if ((long)batchCapacity * sampleSize > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"A batch of {batchCapacity} samples of {sampleSize} floats does not fit in one array.");

        // Every buffer of the run, allocated once: the batch loop allocates nothing.
        var inputs = new float[batchCapacity * sampleSize];
        var labels = new int[batchCapacity];
        var order = new int[train.Count];
        int batches = (train.Count + batchSize - 1) / batchSize;
        int reportInterval = Math.Max(1, (batches + BatchReportsPerEpoch - 1) / BatchReportsPerEpoch);
        var results = new EpochResult[epochs];

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            long started = Stopwatch.GetTimestamp();
            EpochOrder.Fill(order, options.Shuffle, options.ShuffleSeed, epoch);
            double lossSum = 0;
            int samplesDone = 0;
            for (int batch = 1; batch <= batches; batch++)
            {
                int first = (batch - 1) * batchSize;
                int count = Math.Min(batchSize, train.Count - first);
                Gather(train, order.AsSpan(first, count), inputs, labels);
                float loss = network.TrainStep(inputs.AsSpan(0, count * sampleSize), labels.AsSpan(0, count), optimizer);
                // Batch losses are means over unequal batches (the last may be short): weight each by its size.
                lossSum += (double)loss * count;
                samplesDone += count;
                if (options.BatchProgress is not null && (batch % reportInterval == 0 || batch == batches))
                {
                    options.BatchProgress.Report(new BatchProgress(
                        epoch, epochs, batch, batches, samplesDone, lossSum / samplesDone, Stopwatch.GetElapsedTime(started)));
                }
            }

            Evaluation? validation = options.Validation is null ? null : network.Evaluate(options.Validation);
            var result = new EpochResult(
                epoch, epochs, lossSum / samplesDone, validation?.Loss, validation?.Accuracy, samplesDone, Stopwatch.GetElapsedTime(started));
            results[epoch - 1] = result;
            options.EpochProgress?.Report(result);
        }
        return new History(results);
    }

    // Copies the samples named by `indices` back to back into `inputs`, and their labels into `labels`.
    private static void Gather(Dataset data, ReadOnlySpan<int> indices, float[] inputs, int[] labels)
    {
        ReadOnlySpan<float> images = data.Images;
        ReadOnlySpan<int> allLabels = data.Labels;
        int sampleSize = data.SampleSize;
        for (int k = 0; k < indices.Length; k++)
        {
            int index = indices[k];
            images.Slice(index * sampleSize, sampleSize).CopyTo(inputs.AsSpan(k * sampleSize, sampleSize));
            labels[k] = allLabels[index];
        }
    }
}
