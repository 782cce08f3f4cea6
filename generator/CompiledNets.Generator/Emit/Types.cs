namespace CompiledNets.Generator.Emit;

/// <summary>
/// The types the generated code names, fully qualified from <c>global::</c>. The generated class lives in the
/// user's namespace, inside the user's types: there a class named <c>Unsafe</c> or <c>Optimizer</c> beside the
/// network, or a property named <c>Array</c> on it, would capture a short name, and the generated file would fail
/// with errors in code the user did not write. So the file has no <c>using</c> directive, and every name of a
/// type comes from here (keywords such as <c>float</c> and <c>nuint</c> need none). Extension methods are called
/// as the static methods they are (<c>Vector256.StoreUnsafe(value, ref x)</c>), since without <c>using</c>
/// directives no extension is in scope.
/// </summary>
internal static class Types
{
    // System
    public const string Array = "global::System.Array";
    public const string ArgumentNullException = "global::System.ArgumentNullException";
    public const string ArgumentOutOfRangeException = "global::System.ArgumentOutOfRangeException";
    public const string Environment = "global::System.Environment";
    public const string Math = "global::System.Math";
    public const string MathF = "global::System.MathF";
    /// <summary>Its <c>AsSpan</c>, called as a static method: <c>MemoryExtensions.AsSpan(array, start, length)</c>.</summary>
    public const string MemoryExtensions = "global::System.MemoryExtensions";
    /// <summary>Generic: <c>Span&lt;float&gt;</c> is <c>$"{Types.Span}&lt;float&gt;"</c>.</summary>
    public const string Span = "global::System.Span";
    /// <summary>Generic, like <see cref="Span"/>.</summary>
    public const string ReadOnlySpan = "global::System.ReadOnlySpan";

    // System.CodeDom.Compiler
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";

    // System.Numerics.Tensors
    public const string TensorPrimitives = "global::System.Numerics.Tensors.TensorPrimitives";

    // System.Runtime.CompilerServices
    public const string MethodImpl = "global::System.Runtime.CompilerServices.MethodImpl";
    public const string MethodImplOptions = "global::System.Runtime.CompilerServices.MethodImplOptions";
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";

    // System.Runtime.InteropServices
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    // System.Runtime.Intrinsics: the static classes, and the generic vector types as Vector256<float>.
    public const string Vector128 = "global::System.Runtime.Intrinsics.Vector128";
    public const string Vector256 = "global::System.Runtime.Intrinsics.Vector256";
    public const string Vector512 = "global::System.Runtime.Intrinsics.Vector512";

    // CompiledNets (the runtime library)
    public const string ActivationKernels = "global::CompiledNets.ActivationKernels";
    public const string IBatchTask = "global::CompiledNets.IBatchTask";
    public const string ICompiledNetwork = "global::CompiledNets.ICompiledNetwork";
    public const string LossFunction = "global::CompiledNets.LossFunction";
    public const string NetworkGuard = "global::CompiledNets.NetworkGuard";
    public const string Optimizer = "global::CompiledNets.Optimizer";
    public const string OutputKernels = "global::CompiledNets.OutputKernels";
    public const string ParameterInitializer = "global::CompiledNets.ParameterInitializer";
    public const string SeededRandom = "global::CompiledNets.SeededRandom";
    public const string VectorMath = "global::CompiledNets.VectorMath";
    public const string MatrixTranspose = "global::CompiledNets.MatrixTranspose";
    public const string WorkerPool = "global::CompiledNets.WorkerPool";
}
