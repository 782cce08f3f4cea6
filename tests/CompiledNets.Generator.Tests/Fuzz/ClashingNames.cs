namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// Names a user may well give a network or a type beside it that the generated code also uses. The generated
/// code must not care: a user's class named Optimizer or Worker is no reason for compiler errors in a file
/// they did not write.
/// </summary>
internal static class ClashingNames
{
    /// <summary>Types the generated code names (from System, CompiledNets and its own helpers).</summary>
    public static readonly string[] Types =
    {
        "Optimizer", "Unsafe", "MemoryMarshal", "Vector256", "Vector512", "VectorMath", "NetworkGuard",
        "ParameterInitializer", "WorkerPool", "SeededRandom", "ActivationKernels", "Array", "Environment",
        "ICompiledNetwork", "IBatchTask",
    };

    /// <summary>Members and nested types the generated class declares: a class may not contain a member of its own name.</summary>
    public static readonly string[] Members = { "Worker", "Predict", "Summary", "Parameters", "Forward", "InputSize", "Classify", "TrainStep" };
}
