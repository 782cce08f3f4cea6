using System.Linq;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using Xunit;
using static CompiledNets.Generator.Tests.Planning.Specs;

namespace CompiledNets.Generator.Tests.Planning;

/// <summary>
/// Shape inference, parameter layout and FLOP counts of <see cref="NetworkPlanner"/>, on hand-built specs.
/// Expected values are worked out in the test from the layer definitions, never copied from the planner.
/// </summary>
public sealed class NetworkPlannerTests
{
    [Fact]
    public void MnistShapesFollowTheLayers()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Mnist());

        Assert.True(plan.IsValid);
        Assert.Empty(plan.Diagnostics);
        Assert.Equal(Shape.Image(28, 28, 1), plan.Input);
        Assert.Collection(plan.Layers,
            conv => AssertLayer<ConvPlan>(conv, Shape.Image(28, 28, 1), Shape.Image(28 - 3 + 1, 28 - 3 + 1, 32)),
            pool => AssertLayer<MaxPoolPlan>(pool, Shape.Image(26, 26, 32), Shape.Image(26 / 2, 26 / 2, 32)),
            flatten => AssertLayer<FlattenPlan>(flatten, Shape.Image(13, 13, 32), Shape.Flat(13 * 13 * 32)),
            dense => AssertLayer<DensePlan>(dense, Shape.Flat(5408), Shape.Flat(10)));
        Assert.Equal(Shape.Flat(10), plan.Output);
        Assert.Equal(LossFunction.CategoricalCrossEntropy, plan.Loss);
        Assert.Equal("Samples.Net.g.cs", plan.HintName);
    }

    [Fact]
    public void MnistParametersAreLaidOutInLayerOrderKernelThenBias()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Mnist());
        var conv = (ConvPlan)plan.Layers[0];
        var dense = (DensePlan)plan.Layers[3];

        const int convKernel = 3 * 3 * 1 * 32, convBias = 32;
        const int denseKernel = 5408 * 10, denseBias = 10;
        Assert.Equal(0, conv.KernelOffset);
        Assert.Equal(convKernel, conv.BiasOffset);                                           // 288
        Assert.Equal(convKernel + convBias, dense.KernelOffset);                             // 320
        Assert.Equal(convKernel + convBias + denseKernel, dense.BiasOffset);                 // 54400
        Assert.Equal(convKernel + convBias + denseKernel + denseBias, plan.ParameterCount);  // 54410
        Assert.Equal(54410, plan.ParameterCount);
        Assert.Equal(0, plan.Layers[1].ParameterCount);
        Assert.Equal(0, plan.Layers[2].ParameterCount);
    }

    /// <summary>The analytic counts of shared/data/README.md: 0.50 MFLOP forward, 1.10 MFLOP per training step.</summary>
    [Fact]
    public void MnistFlopsMatchTheAnalyticCounts()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Mnist());

        // One multiply-add per output value and kernel tap; 2 FLOPs each. Pooling and Flatten are not counted.
        const long convMultiplyAdds = 26L * 26 * (3 * 3 * 1) * 32;   // 194,688
        const long denseMultiplyAdds = 5408L * 10;                    //  54,080
        const long forward = 2 * convMultiplyAdds + 2 * denseMultiplyAdds;
        // Training adds every kernel's gradient and every input gradient except the first layer's,
        // which nothing consumes: each is as much work as the layer's forward product.
        const long weightGradients = 2 * convMultiplyAdds + 2 * denseMultiplyAdds;
        const long inputGradients = 2 * denseMultiplyAdds;

        Assert.Equal(497_536, forward);
        Assert.Equal(1_103_232, forward + weightGradients + inputGradients);
        Assert.Equal(forward, plan.FlopsPerForward);
        Assert.Equal(forward + weightGradients + inputGradients, plan.FlopsPerTrainStep);
    }

    [Fact]
    public void DenseOnlyNetworkOffsetsAndFlops()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(784), Dense(128, Activation.ReLU), Dense(10, Activation.Softmax), Loss()));

        Assert.True(plan.IsValid);
        var hidden = (DensePlan)plan.Layers[0];
        var output = (DensePlan)plan.Layers[1];
        Assert.Equal((Shape.Flat(784), Shape.Flat(128)), (hidden.Input, hidden.Output));
        Assert.Equal((Shape.Flat(128), Shape.Flat(10)), (output.Input, output.Output));
        Assert.Equal((0, 784 * 128), (hidden.KernelOffset, hidden.BiasOffset));
        Assert.Equal((784 * 128 + 128, 784 * 128 + 128 + 128 * 10), (output.KernelOffset, output.BiasOffset));
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, plan.ParameterCount);

        const long forward = 2L * 784 * 128 + 2L * 128 * 10;
        Assert.Equal(forward, plan.FlopsPerForward);
        Assert.Equal(forward + forward + 2L * 128 * 10, plan.FlopsPerTrainStep);
    }

    /// <summary>Valid convolution: floor((input - kernel) / stride) + 1 per axis.</summary>
    [Theory]
    [InlineData(28, 28, 3, 1, 26, 26)]
    [InlineData(28, 28, 3, 2, 13, 13)]   // (28 - 3) / 2 = 12 whole steps past the first window
    [InlineData(32, 32, 5, 3, 10, 10)]   // (32 - 5) / 3 = 9
    [InlineData(7, 9, 3, 2, 3, 4)]       // a non-square input: 4 / 2 = 2 rows, 6 / 2 = 3 columns
    [InlineData(10, 10, 4, 7, 1, 1)]     // a stride longer than the input leaves one window
    public void ConvStrideOutputSizes(int height, int width, int kernel, int stride, int expectedHeight, int expectedWidth)
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(height, width, 2), Conv2D(6, kernel, stride)));

        Assert.True(plan.IsValid);
        var conv = Assert.IsType<ConvPlan>(Assert.Single(plan.Layers));
        Assert.Equal(Shape.Image(expectedHeight, expectedWidth, 6), conv.Output);
        Assert.Equal(stride, conv.Stride);
    }

    [Fact]
    public void NonSquareKernel()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(28, 28, 2), Conv2D(4, kernel: (3, 5))));

        var conv = Assert.IsType<ConvPlan>(Assert.Single(plan.Layers));
        Assert.Equal(Shape.Image(28 - 3 + 1, 28 - 5 + 1, 4), conv.Output);
        Assert.Equal((3, 5), (conv.KernelHeight, conv.KernelWidth));
        Assert.Equal(3 * 5 * 2 * 4, conv.KernelSize);   // [kh][kw][inC][outC]
        Assert.Equal(3 * 5 * 2 * 4, conv.BiasOffset);
        Assert.Equal(3 * 5 * 2 * 4 + 4, plan.ParameterCount);
        Assert.Equal(3 * 5 * 2, conv.FanIn);            // Glorot: receptive field times channels in ...
        Assert.Equal(3 * 5 * 4, conv.FanOut);           // ... and out
    }

    /// <summary>Like Keras' valid pooling, windows that do not fit are dropped: 27 rows make 13 windows of 2, the last row unused.</summary>
    [Fact]
    public void PoolDropsTheUncoveredBorder()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(27, 27, 3), MaxPool2D(2), Flatten(), Dense(5)));

        Assert.True(plan.IsValid);
        var pool = Assert.IsType<MaxPoolPlan>(plan.Layers[0]);
        Assert.Equal(Shape.Image(13, 13, 3), pool.Output);
        Assert.True(pool.IsTiling);
        Assert.Equal(Shape.Flat(13 * 13 * 3), plan.Layers[1].Output);
    }

    /// <summary>A window exactly the size of its input gives one output pixel: valid padding can never shrink a layer to nothing (so CN0019 cannot occur).</summary>
    [Fact]
    public void WindowAsLargeAsItsInputGivesOnePixel()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(5, 5, 1), Conv2D(3, 5), MaxPool2D(1), Flatten(), Dense(2)));

        Assert.True(plan.IsValid);
        Assert.Equal(Shape.Image(1, 1, 3), plan.Layers[0].Output);
        Assert.Equal(Shape.Image(1, 1, 3), plan.Layers[1].Output);
    }

    [Fact]
    public void NetworkWithoutLossIsInferenceOnly()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(4), Dense(3, Activation.ReLU)));

        Assert.True(plan.IsValid);
        Assert.Null(plan.Loss);
    }

    [Fact]
    public void ParametersBeyondAnArrayAreTooLarge()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(50_000), Dense(50_000)));

        PlanDiagnostic problem = Assert.Single(plan.Diagnostics);
        Assert.Equal("CN0017", problem.Id);
        Assert.Equal(1, problem.AttributeIndex);
        // 50,000 x 50,000 kernel + 50,000 biases, against Array.MaxLength.
        Assert.Equal(new[] { "Dense #0", "the network's parameters", "2,500,050,000", "2,147,483,591" }, problem.Arguments);
        Assert.False(plan.IsValid);
    }

    /// <summary>Layer numbers count the layers only, not [Input] or [Loss], as the summary table and the generated method names do.</summary>
    [Fact]
    public void DiagnosticsNumberLayersLikeTheGeneratedCode()
    {
        NetworkPlan plan = NetworkPlanner.Plan(Network(Input(8, 8, 1), Conv2D(2, 3), Flatten(), Conv2D(2, 3)));

        PlanDiagnostic problem = Assert.Single(plan.Diagnostics);
        Assert.Equal("CN0005", problem.Id);
        Assert.Equal(3, problem.AttributeIndex);
        Assert.Equal(new[] { "Conv2D #2", "(72)" }, problem.Arguments);
        Assert.Equal(2, plan.Layers.Count); // planning stops at the first layer it cannot place
    }

    /// <summary>An attribute that does not bind is the compiler's error: the plan is empty and silent, so only stubs are generated.</summary>
    [Fact]
    public void UnboundAttributePlansNothing()
    {
        NetworkSpec spec = Network(Input(784), Dense(128), Dense(10, Activation.Softmax)) with { HasUnboundAttributes = true };

        NetworkPlan plan = NetworkPlanner.Plan(spec);

        Assert.Empty(plan.Layers);
        Assert.Empty(plan.Diagnostics);
        Assert.False(plan.IsValid);
        Assert.True(plan.CanEmit);
    }

    /// <summary>
    /// The parser keeps the class's member names that look like a layer's ("Conv0Forward"); only the planner knows
    /// the layers' names, and only an actual layer's prefix is a clash (CN0023). The stubs have no layer members.
    /// </summary>
    [Fact]
    public void MembersNamedLikeALayersMembersClashOnlyWithLayersTheNetworkHas()
    {
        NetworkSpec spec = Mnist() with { LayerLikeMemberNames = new[] { "Conv0Forward", "Conv01", "Dense1Units", "Dense3", "Pool1X" }.ToEquatableArray() };

        NetworkPlan plan = NetworkPlanner.Plan(spec);

        Assert.Equal(new[] { "declares 'Conv0Forward'", "declares 'Pool1X'", "declares 'Dense3'" },
            plan.Diagnostics.Select(d => { Assert.Equal("CN0023", d.Id); return d.Arguments[1]; }));
        Assert.False(plan.IsValid);
        Assert.True(plan.CanEmit);
    }

    [Theory]
    [InlineData("Conv0Forward", true)]
    [InlineData("Dense3", true)]
    [InlineData("Flatten2Output", true)]
    [InlineData("Dense30", false)]
    [InlineData("Conv1", false)]
    public void AClassNamedLikeALayersMemberClashes(string name, bool clashes)
    {
        NetworkPlan plan = NetworkPlanner.Plan(Mnist() with { ClassName = name });

        Assert.Equal(clashes ? new[] { "CN0024" } : System.Array.Empty<string>(), plan.Diagnostics.Select(d => d.Id));
        Assert.True(plan.CanEmit);
    }

    /// <summary>The incremental cache compares plans by value: planning the same spec twice must give equal plans.</summary>
    [Fact]
    public void PlansOfEqualSpecsAreEqual()
    {
        NetworkPlan first = NetworkPlanner.Plan(Mnist()), second = NetworkPlanner.Plan(Mnist());

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, NetworkPlanner.Plan(Network(Input(28, 28, 1), Conv2D(16, 3), Flatten(), Dense(10, Activation.Softmax), Loss())));
    }

    private static void AssertLayer<T>(LayerPlan layer, Shape input, Shape output)
        where T : LayerPlan
    {
        Assert.IsType<T>(layer);
        Assert.Equal(input, layer.Input);
        Assert.Equal(output, layer.Output);
    }
}
