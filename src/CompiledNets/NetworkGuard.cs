using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// Argument checks shared by every generated network. The throwing paths live in non-inlined methods
/// so the generated hot methods stay small (see jit-notes: the checks must not block optimization).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkGuard
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(int actual, int expected, string parameterName)
    {
        if (actual != expected) ThrowLength(actual, expected, parameterName);
    }

    /// <summary>Throws unless <paramref name="inputsLength"/> holds exactly <paramref name="count"/> samples of <paramref name="sampleSize"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BatchLength(int inputsLength, int count, int sampleSize, string parameterName)
    {
        if ((long)count * sampleSize != inputsLength) ThrowBatchLength(inputsLength, count, sampleSize, parameterName);
    }

    /// <summary>Throws unless every label is a class index in [0, <paramref name="classes"/>).</summary>
    public static void Labels(ReadOnlySpan<int> labels, int classes)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes) ThrowLabel(i, labels[i], classes);
        }
    }

    /// <summary>Throws unless <paramref name="label"/> is a class index in [0, <paramref name="classes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Label(int label, int classes)
    {
        if ((uint)label >= (uint)classes) ThrowLabel(0, label, classes);
    }

    /// <summary>Throws unless the batch has at least one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NotEmpty(int count, string parameterName)
    {
        if (count <= 0) ThrowEmpty(parameterName);
    }

    /// <summary>The exception for a member that needs a [Loss] the network does not declare.</summary>
    public static Exception NoLoss(string network) =>
        new NotSupportedException($"{network} declares no [Loss(...)]: it is inference-only and cannot compute gradients.");

    /// <summary>The exception for a member of a network the generator rejected (the build reports why as a CN diagnostic).</summary>
    public static Exception InvalidNetwork(string network) =>
        new InvalidOperationException($"{network} is not a valid network: see the CompiledNets (CN) diagnostics of the build.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int actual, int expected, string parameterName) =>
        throw new ArgumentException($"Expected {expected} floats, got {actual}.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBatchLength(int inputsLength, int count, int sampleSize, string parameterName) =>
        throw new ArgumentException(
            $"Expected {count} samples of {sampleSize} floats ({(long)count * sampleSize}), got {inputsLength} floats.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLabel(int index, int label, int classes) =>
        throw new ArgumentOutOfRangeException("labels", label, $"Label {index} is {label}; class indices must be in [0, {classes}).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEmpty(string parameterName) =>
        throw new ArgumentException("The batch is empty.", parameterName);
}
