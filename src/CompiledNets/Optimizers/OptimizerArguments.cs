using System;

namespace CompiledNets;

/// <summary>Constructor argument checks shared by the optimizers, so every one rejects bad values with the same wording.</summary>
internal static class OptimizerArguments
{
    /// <summary>A learning rate must be a positive, finite number.</summary>
    public static float LearningRate(float value, string parameterName)
    {
        if (!(value > 0f) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(parameterName, value, "The learning rate must be a positive, finite number.");
        return value;
    }

    /// <summary>A non-negative, finite value such as SGD's momentum.</summary>
    public static float NonNegative(float value, string parameterName)
    {
        if (!(value >= 0f) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(parameterName, value, "Must be a non-negative, finite number.");
        return value;
    }

    /// <summary>A decay rate (Adam's betas) in [0, 1): 1 would never forget, and beyond it the state diverges.</summary>
    public static float DecayRate(float value, string parameterName)
    {
        if (!(value >= 0f && value < 1f))
            throw new ArgumentOutOfRangeException(parameterName, value, "Must be in [0, 1).");
        return value;
    }

    /// <summary>A strictly positive, finite value such as Adam's epsilon.</summary>
    public static float Positive(float value, string parameterName)
    {
        if (!(value > 0f) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(parameterName, value, "Must be a positive, finite number.");
        return value;
    }
}
