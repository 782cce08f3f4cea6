using System;

namespace CompiledNets;

public static partial class NetworkTraining
{
    // Keras clips probabilities to [1e-7, 1 - 1e-7] before the log, so one confident mistake costs
    // -log(1e-7) = 16.1 instead of infinity; the lower clip is the part that changes a loss.
    private const float ProbabilityFloor = 1e-7f;

    /// <summary>
    /// Runs <paramref name="network"/> over <paramref name="data"/> with <see cref="ICompiledNetwork.PredictBatch"/>,
    /// <paramref name="batchSize"/> samples at a time, and measures loss, accuracy, the confusion matrix and
    /// per-class precision, recall and F1.
    /// </summary>
    /// <param name="network">The network to measure; its parameters are not changed.</param>
    /// <param name="data">Labeled samples of the network's <see cref="ICompiledNetwork.InputSize"/>.</param>
    /// <param name="batchSize">Samples per <see cref="ICompiledNetwork.PredictBatch"/> call, at least 1.</param>
    /// <returns>
    /// The metrics. The predicted class is the largest output (the first on ties); a network with one output predicts
    /// class 1 when it exceeds 0.5. The loss is categorical cross-entropy, <c>-log(max(p[label], 1e-7))</c> averaged
    /// over the samples, for a network trained with <see cref="LossFunction.CategoricalCrossEntropy"/>; for other losses
    /// and inference-only networks it is <see cref="double.NaN"/>.
    /// </returns>
    public static Evaluation Evaluate(this ICompiledNetwork network, Dataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(network);
        TrainingArguments.CheckBatchSize(batchSize, nameof(batchSize));
        int classes = TrainingArguments.ClassesOf(network);
        TrainingArguments.CheckDataset(network, data, classes, nameof(data));

        int inputSize = network.InputSize;
        int outputSize = network.OutputSize;
        int chunk = Math.Min(batchSize, data.Count);
        if ((long)chunk * outputSize > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"A batch of {chunk} outputs of {outputSize} floats does not fit in one array.");

        bool crossEntropy = network.Loss == LossFunction.CategoricalCrossEntropy;
        var outputs = new float[chunk * outputSize];
        var confusion = new int[classes, classes];
        ReadOnlySpan<float> images = data.Images;
        ReadOnlySpan<int> labels = data.Labels;
        double lossSum = 0;
        for (int first = 0; first < data.Count; first += chunk)
        {
            int count = Math.Min(chunk, data.Count - first);
            Span<float> batchOutputs = outputs.AsSpan(0, count * outputSize);
            // The dataset's samples are already back to back: PredictBatch reads them in place.
            network.PredictBatch(images.Slice(first * inputSize, count * inputSize), batchOutputs);
            for (int k = 0; k < count; k++)
            {
                ReadOnlySpan<float> output = batchOutputs.Slice(k * outputSize, outputSize);
                int label = labels[first + k];
                confusion[label, PredictedClass(output)]++;
                if (crossEntropy) lossSum -= Math.Log(Math.Max(output[label], ProbabilityFloor));
            }
        }
        return new Evaluation(confusion, crossEntropy ? lossSum / data.Count : double.NaN);
    }

    private static int PredictedClass(ReadOnlySpan<float> output)
    {
        if (output.Length == 1) return output[0] > 0.5f ? 1 : 0;
        int best = 0;
        for (int i = 1; i < output.Length; i++)
        {
            if (output[i] > output[best]) best = i;
        }
        return best;
    }
}
