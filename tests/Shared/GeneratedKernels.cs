using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace CompiledNets.Testing;

/// <summary>
/// Calls a generated network's private layer kernels by reflection (tests, the kernel profile and the
/// scaling probe link this one file). Every kernel takes refs to the first elements of its buffers: two float
/// buffers (average pooling), three, or two and one int buffer of max-pool arg-max positions; the batched kernels
/// of dense layers take three float buffers and a sample count (the forward kernel then the packed kernel); a large
/// dense layer's packing of the output gradients takes two and the sample range, and its batch weight gradient three
/// and the rows (bound with its input filled by the packing of the same path); a gathered conv input gradient takes four, and a
/// conv with its max pool fused three and the arg-max buffer. A kernel that reads a packed copy of its layer's kernel
/// (a <c>packedKernel</c> parameter) gets it filled from its <c>parameters</c> buffer by the layer's <c>PackKernel</c>
/// (forward) or <c>PackKernelByInputChannels</c> (input gradient) of the same path when it is bound, as the passes do
/// before their samples (a large dense layer's packing takes a worker's share: it packs all of it, one worker of
/// one); a gathered conv input gradient then takes five float buffers.
/// </summary>
internal static class GeneratedKernels
{
    private delegate void FloatFloat(ref float a, ref float b);
    private delegate void FloatFloatShare(ref float a, ref float b, int workerIndex, int workerCount);
    private delegate void FloatFloatFloatCount(ref float a, ref float b, ref float c, int count);
    private delegate void FloatFloatFloatCountFloat(ref float a, ref float b, ref float c, int count, ref float scratch);
    private delegate void PackSamples(ref float source, int count, ref float packed, int first, int total);
    private delegate void BatchRows(ref float inputs, ref float packed, int total, int firstRow, int endRow, ref float gradients);
    private delegate void FloatFloatFloatFloat(ref float a, ref float b, ref float c, ref float d);
    private delegate void FloatFloatFloatInt(ref float a, ref float b, ref float c, ref int d);
    private delegate void FloatFloatFloatIntFloat(ref float a, ref float b, ref float c, ref int d, ref float e);
    private delegate void FiveFloats(ref float a, ref float b, ref float c, ref float d, ref float e);

    /// <summary>
    /// Samples a batched kernel (a large dense layer's, with a count) runs on: not a multiple of any group size, and
    /// enough for every kind of group the forward kernel has (AVX2: 6 + 2 + 2 + 1; AVX-512: 8 + 2 + 1).
    /// </summary>
    public const int BatchCount = 11;
    private delegate void FloatFloatFloat(ref float a, ref float b, ref float c);
    private delegate void FloatFloatInt(ref float a, ref float b, ref int c);
    private delegate void FloatIntFloat(ref float a, ref int b, ref float c);

    private static void PackInTwoChunks(PackSamples pack, float[] source, float[] packed, int total)
    {
        const int firstChunk = 4;
        pack(ref source[0], firstChunk, ref packed[0], 0, total);
        pack(ref source[0], total - firstChunk, ref packed[0], firstChunk, total); // the same samples' values again: any do
    }

    /// <summary>The kernels of <paramref name="network"/> whose names end with <paramref name="suffix"/> ("Scalar", "512", "256").</summary>
    public static IEnumerable<MethodInfo> WithSuffix(Type network, string suffix) =>
        network.GetMethods(BindingFlags.NonPublic | BindingFlags.Static).Where(m => m.Name.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>The sibling of <paramref name="kernel"/> with another ending, e.g. Conv0Forward256 for Conv0ForwardScalar, or the packing
    /// Dense5PackOutputGradients256 for Dense5BatchWeightGradients256.</summary>
    public static MethodInfo Sibling(MethodInfo kernel, string fromSuffix, string toSuffix) =>
        kernel.DeclaringType!.GetMethod(kernel.Name[..^fromSuffix.Length] + toSuffix, BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{kernel.DeclaringType.Name}.{kernel.Name[..^fromSuffix.Length]}{toSuffix} is missing");

    /// <summary>
    /// One buffer per parameter, <paramref name="length"/> long: floats in [-1, 1), or for an arg-max buffer
    /// window positions below <paramref name="windowCells"/>.
    /// </summary>
    public static object[] RandomBuffers(MethodInfo kernel, int length, int seed, Func<MethodInfo, int> windowCells)
    {
        var random = new SeededRandom(seed);
        return kernel.GetParameters().Where(p => p.ParameterType.IsByRef).Select(p => p.ParameterType.GetElementType() == typeof(int)
            ? (object)Enumerable.Range(0, length).Select(_ => random.NextInt32(windowCells(kernel))).ToArray()
            : Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1).ToArray()).ToArray();
    }

    /// <summary>
    /// A call of <paramref name="kernel"/> on <paramref name="buffers"/>, made once (delegate creation is slow); a batched
    /// kernel runs <paramref name="batchCount"/> samples. A large dense layer's packing of output gradients packs them
    /// in two calls (the first 4 samples, then the rest) as two workers' chunks would; its batch weight gradient gets
    /// its packed output gradients from that packing (of random ones, the same for every path) and computes every
    /// kernel row but the first, which must stay as it was.
    /// </summary>
    public static Action Bind(MethodInfo kernel, object[] buffers, int batchCount = BatchCount)
    {
        float[] F(int i) => (float[])buffers[i];
        int[] I(int i) => (int[])buffers[i];
        string[] names = kernel.GetParameters().Where(p => p.ParameterType.IsByRef).Select(p => p.Name!).ToArray();
        int packedAt = Array.IndexOf(names, "packedKernel"), parametersAt = Array.IndexOf(names, "parameters");
        int forward = kernel.Name.IndexOf("Forward", StringComparison.Ordinal), backward = kernel.Name.IndexOf("BackwardInput", StringComparison.Ordinal);
        if (packedAt >= 0 && parametersAt >= 0 && (forward > 0 || backward > 0)) // a kernel reading the packed kernel, not the packing itself
        {
            string layer = kernel.Name[..(forward > 0 ? forward : backward)];
            string packing = forward > 0 ? "PackKernel" : "PackKernelByInputChannels";
            string suffix = new[] { "Scalar", "512", "256" }.First(s => kernel.Name.EndsWith(s, StringComparison.Ordinal));
            var pack = Sibling(kernel, kernel.Name[layer.Length..], packing + suffix);
            if (pack.GetParameters().Length == 4) // a large dense layer's, packed by worker share at the start of a batch: all of it
                pack.CreateDelegate<FloatFloatShare>()(ref F(parametersAt)[0], ref F(packedAt)[0], 0, 1);
            else
                pack.CreateDelegate<FloatFloat>()(ref F(parametersAt)[0], ref F(packedAt)[0]);
        }
        if (kernel.GetParameters() is [_, _, { ParameterType: var index }, { ParameterType: var workers }] && index == typeof(int) && workers == typeof(int))
        {
            var share = kernel.CreateDelegate<FloatFloatShare>();
            float[] a = F(0), b = F(1);
            return () => share(ref a[0], ref b[0], 0, 1); // one worker of one: the whole kernel
        }
        if (kernel.Name.Contains("PackOutputGradients", StringComparison.Ordinal))
        {
            var pack = kernel.CreateDelegate<PackSamples>();
            float[] source = F(0), packed = F(1);
            return () => PackInTwoChunks(pack, source, packed, batchCount);
        }
        if (kernel.Name.Contains("BatchWeightGradients", StringComparison.Ordinal))
        {
            string layer = kernel.Name[..kernel.Name.IndexOf("BatchWeightGradients", StringComparison.Ordinal)];
            string suffix = kernel.Name[(layer.Length + "BatchWeightGradients".Length)..];
            var pack = Sibling(kernel, "BatchWeightGradients" + suffix, "PackOutputGradients" + suffix);
            int rows = (int)kernel.DeclaringType!.GetField(layer + "Inputs", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
            var random = new SeededRandom(layer.GetHashCode(StringComparison.Ordinal));
            float[] outputGradients = Enumerable.Range(0, ((float[])buffers[1]).Length).Select(_ => random.NextSingle() * 2 - 1).ToArray();
            var rowsKernel = kernel.CreateDelegate<BatchRows>();
            float[] inputs = F(0), packed = F(1), gradients = F(2);
            PackInTwoChunks(pack.CreateDelegate<PackSamples>(), outputGradients, packed, batchCount);
            return () => rowsKernel(ref inputs[0], ref packed[0], batchCount, 1, rows, ref gradients[0]);
        }
        if (kernel.GetParameters() is [.., { ParameterType: var count }, _] && count == typeof(int))
        {
            var packing = kernel.CreateDelegate<FloatFloatFloatCountFloat>();
            float[] a = F(0), b = F(1), c = F(2), scratch = F(3);
            return () => packing(ref a[0], ref b[0], ref c[0], batchCount, ref scratch[0]);
        }
        if (kernel.GetParameters() is [.., { ParameterType: var last }] && last == typeof(int))
        {
            var batch = kernel.CreateDelegate<FloatFloatFloatCount>();
            float[] a = F(0), b = F(1), c = F(2);
            return () => batch(ref a[0], ref b[0], ref c[0], batchCount);
        }
        Type[] types = kernel.GetParameters().Select(p => p.ParameterType.GetElementType()!).ToArray();
        if (types is [_, _, _, var argMax, _] && argMax == typeof(int))
        {
            var packed = kernel.CreateDelegate<FloatFloatFloatIntFloat>();
            float[] a = F(0), b = F(1), c = F(2), e = F(4);
            int[] d = I(3);
            return () => packed(ref a[0], ref b[0], ref c[0], ref d[0], ref e[0]);
        }
        if (types is [_, _, _, var fourth] && fourth == typeof(int))
        {
            var pooled = kernel.CreateDelegate<FloatFloatFloatInt>();
            float[] a = F(0), b = F(1), c = F(2);
            int[] d = I(3);
            return () => pooled(ref a[0], ref b[0], ref c[0], ref d[0]);
        }
        if (types.Length == 5)
        {
            var five = kernel.CreateDelegate<FiveFloats>();
            float[] a = F(0), b = F(1), c = F(2), d = F(3), e = F(4);
            return () => five(ref a[0], ref b[0], ref c[0], ref d[0], ref e[0]);
        }
        if (types.Length == 4)
        {
            var four = kernel.CreateDelegate<FloatFloatFloatFloat>();
            float[] a = F(0), b = F(1), c = F(2), d = F(3);
            return () => four(ref a[0], ref b[0], ref c[0], ref d[0]);
        }
        if (types.Length == 2)
        {
            var pair = kernel.CreateDelegate<FloatFloat>();
            float[] a = F(0), b = F(1);
            return () => pair(ref a[0], ref b[0]);
        }
        if (types.All(t => t == typeof(float)))
        {
            var call = kernel.CreateDelegate<FloatFloatFloat>();
            float[] a = F(0), b = F(1), c = F(2);
            return () => call(ref a[0], ref b[0], ref c[0]);
        }
        if (types[2] == typeof(int))
        {
            var call = kernel.CreateDelegate<FloatFloatInt>();
            float[] a = F(0), b = F(1);
            int[] c = I(2);
            return () => call(ref a[0], ref b[0], ref c[0]);
        }
        var other = kernel.CreateDelegate<FloatIntFloat>();
        float[] x = F(0), z = F(2);
        int[] y = I(1);
        return () => other(ref x[0], ref y[0], ref z[0]);
    }
}
