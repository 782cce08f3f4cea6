extern alias Runtime;

using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using ICompiledNetwork = Runtime::CompiledNets.ICompiledNetwork;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>
/// A compilation of generated networks, emitted to memory and loaded into a collectible
/// <see cref="AssemblyLoadContext"/> of its own, so the test can run the code the generator wrote. The networks
/// are used through the runtime's <see cref="ICompiledNetwork"/>: the context hands the generated assembly the
/// runtime assembly this test already loaded, so the interface it implements is the one the test casts to.
/// Dispose unloads the context (once nothing refers to its networks any more).
/// </summary>
internal sealed class LoadedNetworks : IDisposable
{
    private static readonly Assembly RuntimeAssembly = typeof(ICompiledNetwork).Assembly;

    private readonly NetworkLoadContext _context;
    private readonly Assembly _assembly;

    private LoadedNetworks(NetworkLoadContext context, Assembly assembly)
    {
        _context = context;
        _assembly = assembly;
    }

    /// <summary>
    /// Emits <paramref name="compilation"/> optimized, as a user's Release build would (the kernels are written for
    /// the optimizing JIT), and loads it; null when it has errors. <paramref name="diagnostics"/>: the compiler's
    /// errors and warnings, all of them (emitting binds every method body, so nothing needs compiling twice).
    /// </summary>
    public static LoadedNetworks? Emit(Compilation compilation, out ImmutableArray<Diagnostic> diagnostics)
    {
        compilation = compilation.WithOptions(compilation.Options.WithOptimizationLevel(OptimizationLevel.Release));
        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image);
        diagnostics = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        if (!result.Success) return null;
        image.Position = 0;
        var context = new NetworkLoadContext();
        return new LoadedNetworks(context, context.LoadFromStream(image));
    }

    /// <summary>A new instance of the generated class <paramref name="fullName"/>, through its public <c>(int seed)</c> constructor.</summary>
    public ICompiledNetwork Create(string fullName, int seed)
    {
        Type type = _assembly.GetType(fullName, throwOnError: true)!;
        object instance = Activator.CreateInstance(type, seed)!;
        return (ICompiledNetwork)instance;
    }

    public void Dispose() => _context.Unload();

    private sealed class NetworkLoadContext : AssemblyLoadContext
    {
        public NetworkLoadContext()
            : base("CompiledNets generated networks", isCollectible: true)
        {
        }

        /// <summary>
        /// The runtime is the test's own copy (one <see cref="ICompiledNetwork"/> type, not two of the same name);
        /// everything else (System.Numerics.Tensors, the framework) falls back to the default context, where the test's are.
        /// </summary>
        protected override Assembly? Load(AssemblyName assemblyName) =>
            AssemblyName.ReferenceMatchesDefinition(assemblyName, RuntimeAssembly.GetName()) ? RuntimeAssembly : null;
    }
}
