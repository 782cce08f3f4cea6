using System;
using System.Linq;
using System.Reflection;
using CompiledNets;
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
    };

    [Theory]
    [MemberData(nameof(NetworkTypes))]
    public void Vector_kernels_match_the_scalar_reference(Type network)
    {
        var references = network.GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name.EndsWith("Scalar", StringComparison.Ordinal))
            .ToArray();
        Assert.NotEmpty(references);

        foreach (MethodInfo reference in references)
        {
            string kernel = reference.Name.Substring(0, reference.Name.Length - "Scalar".Length);
            object[] expected = Arguments(network, reference, seed: kernel.GetHashCode(StringComparison.Ordinal));
            Call(reference, expected);
            foreach (string suffix in new[] { "512", "256" })
            {
                MethodInfo vector = network.GetMethod(kernel + suffix, BindingFlags.NonPublic | BindingFlags.Static)
                    ?? throw new Xunit.Sdk.XunitException($"{network.Name}.{kernel}{suffix} is missing");
                object[] actual = Arguments(network, reference, seed: kernel.GetHashCode(StringComparison.Ordinal));
                Call(vector, actual);
                for (int a = 0; a < actual.Length; a++)
                {
                    if (actual[a] is float[] floats)
                    {
                        var want = (float[])expected[a];
                        double scale = want.Max(v => Math.Abs((double)v));
                        Tolerance.Equal(want, floats, absolute: 1e-5 * scale, relative: 1e-5, $"{network.Name}.{kernel}{suffix} argument {a}");
                    }
                    else
                    {
                        Assert.Equal((int[])expected[a], (int[])actual[a]);
                    }
                }
            }
        }
    }

    // Kernels take three refs to the first elements of their buffers: float, float, float (conv, dense)
    // or with one int buffer of arg-max positions (max pooling).
    private delegate void FloatFloatFloat(ref float a, ref float b, ref float c);
    private delegate void FloatFloatInt(ref float a, ref float b, ref int c);
    private delegate void FloatIntFloat(ref float a, ref int b, ref float c);

    private static void Call(MethodInfo kernel, object[] buffers)
    {
        ref float F(int i) => ref ((float[])buffers[i])[0];
        ref int I(int i) => ref ((int[])buffers[i])[0];
        Type[] types = kernel.GetParameters().Select(p => p.ParameterType.GetElementType()!).ToArray();
        if (types.All(t => t == typeof(float))) kernel.CreateDelegate<FloatFloatFloat>()(ref F(0), ref F(1), ref F(2));
        else if (types[2] == typeof(int)) kernel.CreateDelegate<FloatFloatInt>()(ref F(0), ref F(1), ref I(2));
        else kernel.CreateDelegate<FloatIntFloat>()(ref F(0), ref I(1), ref F(2));
    }

    /// <summary>Random floats for float buffers; valid window positions for a pooling layer's arg-max buffer.</summary>
    private static object[] Arguments(Type network, MethodInfo kernel, int seed)
    {
        var random = new SeededRandom(seed);
        return kernel.GetParameters().Select(p =>
        {
            if (p.ParameterType.GetElementType() == typeof(int))
            {
                string layer = kernel.Name.Substring(0, kernel.Name.IndexOf("Backward", StringComparison.Ordinal) is int i and > 0 ? i : kernel.Name.IndexOf("Forward", StringComparison.Ordinal));
                int window = (int)network.GetField(layer + "PoolSize", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
                return (object)Enumerable.Range(0, BufferLength).Select(_ => random.NextInt32(window * window)).ToArray();
            }
            return Enumerable.Range(0, BufferLength).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        }).ToArray();
    }
}
