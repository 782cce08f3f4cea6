using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// Binds an optimizer to the parameter count of the first span it updates. Optimizer state (moments,
/// velocities) only makes sense for the parameters it was accumulated from, so a step with another length
/// is a bug in the caller (usually one optimizer shared by two networks) and fails loudly instead of
/// silently updating a prefix of the state.
/// </summary>
internal struct OptimizerState
{
    private int _parameterCount;
    private bool _stepBegun;

    /// <summary>
    /// Checks that <paramref name="parameters"/> and <paramref name="gradients"/> have the same length and that it
    /// is the length of the first step; returns <see langword="true"/> on the first step, when the caller allocates its state.
    /// </summary>
    private bool Bind(string optimizer, int parameters, int gradients)
    {
        if (parameters != gradients) ThrowLengthMismatch(optimizer, parameters, gradients);
        if (parameters == 0) ThrowEmpty(optimizer);
        if (_parameterCount == 0)
        {
            _parameterCount = parameters;
            return true;
        }
        if (_parameterCount != parameters) ThrowStateMismatch(optimizer, _parameterCount, parameters);
        return false;
    }

    /// <summary>
    /// <see cref="Bind"/>, then marks a step begun, to be applied by slices (<see cref="CheckSlice"/>) and ended by
    /// <see cref="EndStep"/>. A step begun again before its end (a batch that failed) simply starts over.
    /// </summary>
    public bool BeginStep(string optimizer, int parameters, int gradients)
    {
        bool firstUse = Bind(optimizer, parameters, gradients);
        _stepBegun = true;
        return firstUse;
    }

    /// <summary>Checks a slice of the step begun: equal lengths, within the parameters the state was made for.</summary>
    public readonly void CheckSlice(string optimizer, int parameters, int gradients, int offset)
    {
        if (!_stepBegun) ThrowNotBegun(optimizer);
        if (parameters != gradients) ThrowLengthMismatch(optimizer, parameters, gradients);
        if (offset < 0 || (long)offset + parameters > _parameterCount) ThrowSliceOutside(optimizer, offset, parameters, _parameterCount);
    }

    /// <summary>Ends the step begun; the caller then counts it.</summary>
    public void EndStep(string optimizer)
    {
        if (!_stepBegun) ThrowNotBegun(optimizer);
        _stepBegun = false;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotBegun(string optimizer) =>
        throw new InvalidOperationException($"{optimizer}.StepSlice needs BeginStep first (and EndStep after the last slice).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSliceOutside(string optimizer, int offset, int length, int parameterCount) =>
        throw new ArgumentOutOfRangeException(
            "offset", offset, $"{optimizer}.StepSlice got {length} parameters from offset {offset}, outside the {parameterCount} parameters of this step.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch(string optimizer, int parameters, int gradients) =>
        throw new ArgumentException(
            $"{optimizer}.Step got {parameters} parameters but {gradients} gradients; they must have the same length.", "gradients");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEmpty(string optimizer) =>
        throw new ArgumentException($"{optimizer}.Step got an empty parameter span.", "parameters");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStateMismatch(string optimizer, int stateLength, int parameters) =>
        throw new ArgumentException(
            $"This {optimizer} holds state for {stateLength} parameters, but this step updates {parameters}. " +
            "Optimizer state belongs to one network: create one optimizer per network.", "parameters");
}
