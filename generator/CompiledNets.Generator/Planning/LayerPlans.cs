namespace CompiledNets.Generator.Planning;

/// <summary>
/// One layer after shape inference: its input and output shapes and where its parameters live in the
/// flat parameter array. <see cref="Name"/> ("Conv0", "Pool1", ...) prefixes its generated methods.
/// </summary>
internal abstract record LayerPlan(int Position, int AttributeIndex, Shape Input, Shape Output)
{
    /// <summary>Identifier prefix of the layer's members, unique in the network.</summary>
    public abstract string Name { get; }

    /// <summary>Keras class name for the summary table.</summary>
    public abstract string KerasType { get; }

    public virtual int ParameterCount => 0;

    /// <summary>Multiply-adds of one forward pass of one sample.</summary>
    public virtual long MultiplyAdds => 0;
}

/// <summary>A layer with a kernel and a bias in the flat parameter array, followed by an activation.</summary>
internal abstract record ParametricLayerPlan(int Position, int AttributeIndex, Shape Input, Shape Output, Activation Activation, int KernelOffset, int KernelSize, int BiasOffset, int BiasSize)
    : LayerPlan(Position, AttributeIndex, Input, Output)
{
    public override int ParameterCount => KernelSize + BiasSize;

    /// <summary>Glorot-uniform fan-in and fan-out of the kernel.</summary>
    public abstract int FanIn { get; }

    public abstract int FanOut { get; }
}

/// <summary>Conv2D: kernel [kh][kw][inC][outC], bias [outC].</summary>
internal sealed record ConvPlan(int Position, int AttributeIndex, Shape Input, Shape Output, Activation Activation, int KernelOffset, int BiasOffset, int KernelHeight, int KernelWidth, int Stride, ConvPadding Pad)
    : ParametricLayerPlan(Position, AttributeIndex, Input, Output, Activation, KernelOffset, KernelHeight * KernelWidth * Input.Channels * Output.Channels, BiasOffset, Output.Channels)
{
    public override string Name => "Conv" + Position;

    /// <summary>
    /// The input the kernel slides over: the input itself, or, with padding, a copy with zero borders
    /// (so every kernel runs the valid-padding loops, with no bounds tests in them).
    /// </summary>
    public Shape Padded => Shape.Image(Input.Height + Pad.Top + Pad.Bottom, Input.Width + Pad.Left + Pad.Right, Input.Channels);

    public bool IsPadded => Pad.Top + Pad.Bottom + Pad.Left + Pad.Right > 0;

    /// <summary>
    /// The input gradient is gathered per input pixel (dot products over the output channels, summed over the
    /// kernel window before one horizontal sum) from a zero-bordered copy of the output gradient, instead of
    /// scattered per output pixel with a horizontal sum per tap. Needs stride 1 (every window position is an
    /// output pixel), output channels in whole 512-bit vectors, and input channels to block over.
    /// </summary>
    public bool GathersInputGradient => Stride == 1 && Output.Channels % 16 == 0 && Input.Channels >= GatherChannels;

    /// <summary>Input channels computed together by the gathered input gradient.</summary>
    public const int GatherChannels = 4;

    /// <summary>The output gradient with KernelHeight - 1 zero rows and KernelWidth - 1 zero columns on every side.</summary>
    public Shape PaddedOutputGradient => Shape.Image(Output.Height + 2 * (KernelHeight - 1), Output.Width + 2 * (KernelWidth - 1), Output.Channels);
    public override string KerasType => "Conv2D";
    public override int FanIn => KernelHeight * KernelWidth * Input.Channels;
    public override int FanOut => KernelHeight * KernelWidth * Output.Channels;
    public override long MultiplyAdds => (long)Output.Height * Output.Width * KernelSize;
}

/// <summary>A pooling layer: square windows of <see cref="PoolSize"/>, <see cref="Stride"/> apart (valid windows only).</summary>
internal abstract record PoolPlan(int Position, int AttributeIndex, Shape Input, Shape Output, int PoolSize, int Stride)
    : LayerPlan(Position, AttributeIndex, Input, Output)
{
    public override string Name => "Pool" + Position;

    /// <summary>True when the windows tile the input without overlap, so backward can write instead of accumulate.</summary>
    public bool IsTiling => Stride == PoolSize;
}

/// <summary>Max pooling with the arg-max recorded for the backward pass.</summary>
internal sealed record MaxPoolPlan(int Position, int AttributeIndex, Shape Input, Shape Output, int PoolSize, int Stride)
    : PoolPlan(Position, AttributeIndex, Input, Output, PoolSize, Stride)
{
    public override string KerasType => "MaxPooling2D";
}

/// <summary>Zero rows and columns around a convolution's input (Keras's Same rule puts the odd one at the bottom/right).</summary>
internal readonly record struct ConvPadding(int Top, int Bottom, int Left, int Right)
{
    public static ConvPadding None => default;

    /// <summary>Keras/TensorFlow Same padding of one axis: output ceil(input / stride), total max((out - 1) * stride + kernel - input, 0).</summary>
    public static (int Before, int After, int Output) Same(int input, int kernel, int stride)
    {
        int output = (input + stride - 1) / stride;
        int total = System.Math.Max((output - 1) * stride + kernel - input, 0);
        return (total / 2, total - total / 2, output);
    }
}

/// <summary>Average pooling: each output is the mean of its window (valid windows only, as Keras's default).</summary>
internal sealed record AveragePoolPlan(int Position, int AttributeIndex, Shape Input, Shape Output, int PoolSize, int Stride)
    : PoolPlan(Position, AttributeIndex, Input, Output, PoolSize, Stride)
{
    public override string KerasType => "AveragePooling2D";
}

/// <summary>Inverted dropout: in training, each value is zeroed with probability <see cref="Rate"/> and the rest scaled by 1 / (1 - rate).</summary>
internal sealed record DropoutPlan(int Position, int AttributeIndex, Shape Input, double Rate)
    : LayerPlan(Position, AttributeIndex, Input, Input)
{
    public override string Name => "Dropout" + Position;
    public override string KerasType => "Dropout";
}

/// <summary>(h, w, c) to a flat vector in (h, w, c) order: the same floats, so it costs nothing.</summary>
internal sealed record FlattenPlan(int Position, int AttributeIndex, Shape Input, Shape Output)
    : LayerPlan(Position, AttributeIndex, Input, Output)
{
    public override string Name => "Flatten" + Position;
    public override string KerasType => "Flatten";
}

/// <summary>Dense: kernel [in][out], bias [out].</summary>
internal sealed record DensePlan(int Position, int AttributeIndex, Shape Input, Shape Output, Activation Activation, int KernelOffset, int BiasOffset)
    : ParametricLayerPlan(Position, AttributeIndex, Input, Output, Activation, KernelOffset, Input.Size * Output.Size, BiasOffset, Output.Size)
{
    public override string Name => "Dense" + Position;
    public override string KerasType => "Dense";
    public override int FanIn => Input.Size;
    public override int FanOut => Output.Size;
    public override long MultiplyAdds => (long)Input.Size * Output.Size;

    /// <summary>
    /// Layers with few units compute their input gradient from a transposed copy of the kernel ([out][in],
    /// refreshed once per batch): vectors then run along the many inputs instead of the few units, and no
    /// horizontal sum per input is needed.
    /// </summary>
    public bool UsesTransposedKernel => Output.Size < TransposeBelowUnits;

    /// <summary>Units below which <see cref="UsesTransposedKernel"/>: two 512-bit vectors' worth.</summary>
    public const int TransposeBelowUnits = 32;

    /// <summary>
    /// Layers whose kernel outgrows the caches run over a chunk of samples at once (see DenseBatchEmitter): read
    /// per sample, a kernel of this size would cost more memory traffic than arithmetic.
    /// </summary>
    public bool UsesBatchKernels => !UsesTransposedKernel && KernelSize >= BatchKernelsFrom;

    /// <summary>Kernel floats from which <see cref="UsesBatchKernels"/>: 64 KiB, beyond a core's L1 and a good part of L2.</summary>
    public const int BatchKernelsFrom = 16 * 1024;
}
