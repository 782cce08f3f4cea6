using System;
using System.Linq;
using System.Reflection;
using CompiledNets.Testing;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>
/// Every generated kernel exists three times — <c>512</c>, <c>256</c> and the plain <c>Scalar</c> reference —
/// and a machine runs only one of them. This test calls all three (the ones a CPU does not accelerate run in
/// the runtime's software fallback, with the same results) on identical random buffers and compares every
/// buffer afterwards, so the 512-bit code is checked even on a machine without AVX-512.
/// Only the summation order differs between paths: 1e-5 relative, plus 1e-5 of the buffer's magnitude.
/// </summary>
public sealed class SimdPathTests
{
    // Larger than any buffer of the test networks; kernels touch only what their shapes say.
    private const int BufferLength = 400_000;

    public static TheoryData<Type> NetworkTypes() => new()
    {
        typeof(SeedNet), typeof(MlpNet), typeof(OddShapesNet), typeof(WideNet), typeof(SmoothConvNet), typeof(WideSmoothNet),
        typeof(LeNet5Net), typeof(SmoothSamePaddingNet), typeof(LeakyOverlapNet), typeof(MultiLabelNet), typeof(DropoutNet), typeof(GatheredGradientNet),
        typeof(PooledGradientNet), typeof(Rgb32TwoConvNet), typeof(TransposedGradientNet),
    };

    [Theory]
    [MemberData(nameof(NetworkTypes))]
    public void Vector_kernels_match_the_scalar_reference(Type network)
    {
        var references = GeneratedKernels.WithSuffix(network, "Scalar").ToArray();
        Assert.NotEmpty(references);

        foreach (MethodInfo reference in references)
        {
            int seed = reference.Name.GetHashCode(StringComparison.Ordinal);
            object[] expected = GeneratedKernels.RandomBuffers(reference, BufferLength, seed, PoolWindowCells);
            GeneratedKernels.Bind(reference, expected)();
            foreach (string suffix in new[] { "512", "256" })
            {
                MethodInfo vector = GeneratedKernels.Sibling(reference, "Scalar", suffix);
                object[] actual = GeneratedKernels.RandomBuffers(reference, BufferLength, seed, PoolWindowCells);
                GeneratedKernels.Bind(vector, actual)();
                string[] names = reference.GetParameters().Where(p => p.ParameterType.IsByRef).Select(p => p.Name!).ToArray();
                for (int a = 0; a < actual.Length; a++)
                {
                    if (LaidOutPerPath.Contains(names[a])) continue;
                    string what = $"{network.Name}.{vector.Name} argument {a}";
                    if (actual[a] is float[] floats)
                    {
                        var want = (float[])expected[a];
                        double scale = want.Max(v => Math.Abs((double)v));
                        Tolerance.Equal(want, floats, absolute: 1e-5 * scale, relative: 1e-5, what);
                    }
                    else
                    {
                        Assert.Equal((int[])expected[a], (int[])actual[a]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Buffers each path lays out its own way: a conv's packed output gradient and kernel (scratch the vector code
    /// fills, or, for the forward kernels, reads after the binding packed it; the scalar reference leaves them alone),
    /// and a large dense layer's batch of packed output gradients (vector blocks side by side, or the scalar kernel's
    /// plain rows). Each is checked through the kernel that reads it.
    /// </summary>
    private static readonly string[] LaidOutPerPath = { "packedOutputGradient", "packedKernel", "batchOutputGradients" };

    /// <summary>
    /// Window cells of the pooling layer a kernel belongs to (its <c>{Layer}PoolSize</c> constant, squared). A conv
    /// with its pool fused reads the arg-max positions of the pool after it (named for the next layer index) in its
    /// weight gradient; its forward pass only writes them, so any value does there.
    /// </summary>
    private static int PoolWindowCells(MethodInfo kernel)
    {
        string layer = kernel.Name[..kernel.Name.IndexOfAny("FB".ToCharArray())];
        var poolSize = kernel.DeclaringType!.GetField(layer + "PoolSize", BindingFlags.NonPublic | BindingFlags.Static);
        if (poolSize is null && kernel.Name.Contains("BackwardWeightsPooled", StringComparison.Ordinal))
            poolSize = kernel.DeclaringType.GetField($"Pool{int.Parse(layer["Conv".Length..]) + 1}PoolSize", BindingFlags.NonPublic | BindingFlags.Static);
        if (poolSize is null && layer.StartsWith("Conv", StringComparison.Ordinal)) return 1;
        int size = (int)poolSize!.GetValue(null)!;
        return size * size;
    }
}
