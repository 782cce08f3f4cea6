using System;

namespace CompiledNets;

/// <summary>Checks, before any work starts, that a dataset fits a network, so a mismatch fails with both sizes named.</summary>
internal static class TrainingArguments
{
    /// <summary>
    /// Throws unless <paramref name="data"/> has samples, its samples are the network's input size, and its labels
    /// are classes the network can output (<paramref name="classes"/>).
    /// </summary>
    public static void CheckDataset(ICompiledNetwork network, Dataset data, int classes, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data, parameterName);
        if (data.SampleSize != network.InputSize)
            throw new ArgumentException(
                $"The dataset's samples have {data.SampleSize} floats ({data.Height}x{data.Width}x{data.Channels}), " +
                $"but {network.Name}.InputSize is {network.InputSize}.", parameterName);
        if (data.Count == 0)
            throw new ArgumentException("The dataset has no samples.", parameterName);
        if (data.ClassCount > classes)
            throw new ArgumentException(
                $"The dataset has {data.ClassCount} classes (labels up to {data.ClassCount - 1}), " +
                $"but {network.Name} tells {classes} classes apart (OutputSize {network.OutputSize}).", parameterName);
    }

    /// <summary>Throws for an inference-only network (no <c>[Loss]</c>): it has nothing to train against.</summary>
    public static void CheckTrainable(ICompiledNetwork network)
    {
        if (network.Loss is null)
            throw new NotSupportedException($"{network.Name} declares no [Loss(...)]: it is inference-only and cannot be trained.");
    }

    /// <summary>Throws unless <paramref name="batchSize"/> is at least 1.</summary>
    public static void CheckBatchSize(int batchSize, string parameterName)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(parameterName, batchSize, "The batch size must be at least 1.");
    }

    /// <summary>
    /// The number of classes a network's output distinguishes: one per output, except that a single output
    /// (a sigmoid) separates two classes, 0 and 1, at 0.5.
    /// </summary>
    public static int ClassesOf(ICompiledNetwork network) => network.OutputSize == 1 ? 2 : network.OutputSize;
}
