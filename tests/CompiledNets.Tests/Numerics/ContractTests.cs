using System;
using System.Linq;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>Behaviour the generated members promise (design.md, "Generated members") beyond numerics.</summary>
public sealed class ContractTests
{
    public static TheoryData<string> Networks()
    {
        var data = new TheoryData<string>();
        foreach (string name in NetworkFixtures.Names) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void PredictBatch_equals_Predict_for_every_sample_and_worker_count(string name)
    {
        var network = NetworkFixtures.Create(name);
        const int count = 61; // not a multiple of the worker count or a chunk, so shares and chunks differ in size
        var (inputs, _) = NetworkFixtures.Batch(network, count);
        int outSize = network.OutputSize, inSize = network.InputSize;
        var single = new float[count * outSize];
        for (int n = 0; n < count; n++)
            network.Predict(inputs.AsSpan(n * inSize, inSize), single.AsSpan(n * outSize, outSize));

        foreach (int workers in new[] { 1, 2, 3 })
        {
            network.WorkerCount = workers;
            var batch = new float[count * outSize];
            network.PredictBatch(inputs, batch);
            Assert.Equal(single, batch); // the same kernels on the same sample: bit for bit
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void PredictBatch_reads_parameters_changed_through_the_span_since_the_last_batch(string name)
    {
        // A large dense layer's batched forward reads a packed copy of its kernel, made at the start of each batch:
        // a copy kept from the batch before would predict with the old weights.
        var network = NetworkFixtures.Create(name);
        const int count = 40;
        var (inputs, _) = NetworkFixtures.Batch(network, count);
        int outSize = network.OutputSize, inSize = network.InputSize;
        foreach (int workers in new[] { 1, 2 })
        {
            network.WorkerCount = workers;
            var before = new float[count * outSize];
            network.PredictBatch(inputs, before);
            Span<float> parameters = network.Parameters;
            for (int i = 0; i < parameters.Length; i++) parameters[i] = parameters[i] * 0.75f + 0.001f * (i % 7);

            var single = new float[count * outSize];
            for (int n = 0; n < count; n++)
                network.Predict(inputs.AsSpan(n * inSize, inSize), single.AsSpan(n * outSize, outSize));
            var batch = new float[count * outSize];
            network.PredictBatch(inputs, batch);
            Assert.NotEqual(before, single);
            Assert.Equal(single, batch);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Classify_is_the_arg_max_of_Predict_or_its_threshold_for_one_unit(string name)
    {
        var network = NetworkFixtures.Create(name);
        var (inputs, _) = NetworkFixtures.Batch(network, 5);
        var output = new float[network.OutputSize];
        for (int n = 0; n < 5; n++)
        {
            var sample = inputs.AsSpan(n * network.InputSize, network.InputSize);
            network.Predict(sample, output);
            // One unit (a sigmoid probability or a 0/1 regression): class 1 above one half.
            int expected = output.Length == 1 ? (output[0] > 0.5f ? 1 : 0) : Array.IndexOf(output, output.Max());
            Assert.Equal(expected, network.Classify(sample));
        }
    }

    [Fact]
    public void Softmax_outputs_are_probabilities()
    {
        var network = NetworkFixtures.Create("SeedNet");
        var (inputs, _) = NetworkFixtures.Batch(network, 1);
        var output = new float[SeedNet.OutputSize];
        network.Predict(inputs, output);
        Assert.All(output, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(1.0, output.Sum(), 5);
    }

    [Fact]
    public void The_same_seed_gives_the_same_parameters_and_another_seed_different_ones()
    {
        Assert.Equal(new SeedNet(seed: 42).Parameters.ToArray(), new SeedNet(seed: 42).Parameters.ToArray());
        Assert.NotEqual(new SeedNet(seed: 42).Parameters.ToArray(), new SeedNet(seed: 43).Parameters.ToArray());
        Assert.Equal(new SeedNet().Parameters.ToArray(), new SeedNet(seed: 0).Parameters.ToArray());
    }

    [Fact]
    public void Initialization_is_Glorot_uniform_with_zero_biases()
    {
        var network = new SeedNet(seed: 3);
        float convLimit = MathF.Sqrt(6f / (9 + 9 * 32)), denseLimit = MathF.Sqrt(6f / (5408 + 10));
        var parameters = network.Parameters;
        Assert.All(parameters.Slice(0, 288).ToArray(), w => Assert.InRange(w, -convLimit, convLimit));
        Assert.All(parameters.Slice(288, 32).ToArray(), b => Assert.Equal(0f, b));
        Assert.All(parameters.Slice(320, 54080).ToArray(), w => Assert.InRange(w, -denseLimit, denseLimit));
        Assert.All(parameters.Slice(54400, 10).ToArray(), b => Assert.Equal(0f, b));
        // Uniform on [-limit, limit]: the dense kernel's 54,080 draws have variance limit² / 3 (within 3 %).
        double variance = parameters.Slice(320, 54080).ToArray().Select(w => (double)w * w).Average();
        Assert.InRange(variance, denseLimit * denseLimit / 3 * 0.97, denseLimit * denseLimit / 3 * 1.03);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Training_is_bit_for_bit_repeatable_for_a_seed_and_worker_count(int workers)
    {
        float[] Run()
        {
            var network = new SeedNet(seed: 5) { WorkerCount = workers };
            var (inputs, labels) = NetworkFixtures.Batch(network, 32, seed: 8);
            var adam = new Adam();
            var trajectory = new System.Collections.Generic.List<float>();
            for (int step = 0; step < 5; step++) trajectory.Add(network.TrainStep(inputs, labels, adam));
            return trajectory.Concat(network.Parameters.ToArray()).ToArray();
        }

        Assert.Equal(Run(), Run());
    }

    /// <summary>Adam, counting how a network calls it.</summary>
    private sealed class CountingAdam : Optimizer
    {
        private readonly Adam _adam = new();
        public int WholeSteps;
        public readonly System.Collections.Concurrent.ConcurrentBag<(int Offset, int Length)> Slices = new();
        public bool Elementwise = true;

        public override bool UpdatesElementwise => Elementwise;
        public override void Step(Span<float> parameters, ReadOnlySpan<float> gradients) { WholeSteps++; _adam.Step(parameters, gradients); Iterations = _adam.Iterations; }
        public override void BeginStep(int parameterCount) => _adam.BeginStep(parameterCount);
        public override void StepSlice(Span<float> parameters, ReadOnlySpan<float> gradients, int offset) { Slices.Add((offset, parameters.Length)); _adam.StepSlice(parameters, gradients, offset); }
        public override void EndStep() { _adam.EndStep(); Iterations = _adam.Iterations; }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void Each_worker_steps_its_slice_with_the_bits_of_one_whole_step(int workers, bool elementwise)
    {
        var trained = new SeedNet(seed: 5) { WorkerCount = workers };
        var reference = new SeedNet(seed: 5) { WorkerCount = workers };
        var (inputs, labels) = NetworkFixtures.Batch(trained, 32, seed: 8);
        var counting = new CountingAdam { Elementwise = elementwise };
        var adam = new Adam();
        for (int step = 1; step <= 3; step++)
        {
            float loss = trained.TrainStep(inputs, labels, counting);
            float referenceLoss = reference.ComputeGradients(inputs, labels);
            adam.Step(reference.Parameters, reference.Gradients);
            Assert.Equal(referenceLoss, loss);
            Assert.Equal(step, counting.Iterations);
        }

        Assert.Equal(reference.Parameters.ToArray(), trained.Parameters.ToArray());
        Assert.Equal(reference.Gradients.ToArray(), trained.Gradients.ToArray()); // Gradients still holds the step's mean gradient
        bool sliced = workers > 1 && elementwise;
        Assert.Equal(sliced ? 0 : 3, counting.WholeSteps);
        if (!sliced)
        {
            Assert.Empty(counting.Slices);
            return;
        }
        // Three steps, each stepping every parameter exactly once in disjoint slices (blocks of the workers' slices).
        var byOffset = counting.Slices.GroupBy(slice => slice).ToArray();
        Assert.All(byOffset, group => Assert.Equal(3, group.Count()));
        int next = 0;
        foreach (var (offset, length) in byOffset.Select(group => group.Key).OrderBy(slice => slice.Offset))
        {
            Assert.Equal(next, offset);
            Assert.True(length > 0);
            next = offset + length;
        }
        Assert.Equal(trained.Parameters.Length, next);
    }

    [Fact]
    public void Worker_counts_agree_up_to_the_order_of_the_gradient_sum()
    {
        var one = new SeedNet(seed: 5) { WorkerCount = 1 };
        var three = new SeedNet(seed: 5) { WorkerCount = 3 };
        var (inputs, labels) = NetworkFixtures.Batch(one, 32, seed: 8);
        float lossOne = one.ComputeGradients(inputs, labels), lossThree = three.ComputeGradients(inputs, labels);
        Assert.Equal(lossOne, lossThree, 5);
        Tolerance.Equal(one.Gradients, three.Gradients, absolute: 1e-7, relative: 1e-5, "gradients, 3 workers vs 1");
    }

    [Theory]
    [InlineData("MlpNet", 61)]
    [InlineData("WideNet", 61)]
    [InlineData("LeNet5Net", 61)]
    [InlineData("WideNet", 2)] // fewer samples than workers: a share without any
    public void Large_dense_kernel_gradients_have_the_same_bits_for_any_worker_count(string name, int count)
    {
        // Such a kernel's gradient is computed from the whole batch in sample order, each worker its rows (slices
        // start on a row there), not summed over the workers' shares: the worker count cannot change a bit of it.
        var one = NetworkFixtures.Create(name);
        var (inputs, labels) = NetworkFixtures.Batch(one, count, seed: 8);
        float lossOne = one.ComputeGradients(inputs, labels);
        float[] reference = one.Gradients.ToArray();
        var kernels = LargeDenseKernels(one.GetType());
        Assert.NotEmpty(kernels);
        foreach (int workers in new[] { 2, 3, 5 })
        {
            var many = NetworkFixtures.Create(name);
            many.WorkerCount = workers;
            float loss = many.ComputeGradients(inputs, labels);
            Assert.Equal(lossOne, loss, 5);
            foreach (var (offset, length) in kernels)
                Assert.True(reference.AsSpan(offset, length).SequenceEqual(many.Gradients.Slice(offset, length)), $"{name}: kernel gradient at {offset}, {workers} workers vs 1");
            // The rest is summed over the workers' shares, in another order than one worker's: as SimdPathTests
            // allows reordered sums, 1e-5 of the gradient's magnitude (a conv weight's gradient sums terms much
            // larger than itself, so its own magnitude is no measure of the rounding) plus 1e-5 relative.
            double scale = reference.Max(g => Math.Abs((double)g));
            Tolerance.Equal(reference, many.Gradients.ToArray(), absolute: 1e-5 * scale, relative: 1e-5, $"{name}: gradients, {workers} workers vs 1");
        }
    }

    /// <summary>(offset, length) of each large dense layer's kernel: the layers with a generated RowsPerPiece.</summary>
    private static (int Offset, int Length)[] LargeDenseKernels(Type network)
    {
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
        int Constant(string name) => (int)network.GetField(name, flags)!.GetValue(null)!;
        return network.GetProperties(flags).Where(p => p.Name.EndsWith("RowsPerPiece", StringComparison.Ordinal))
            .Select(p => p.Name[..^"RowsPerPiece".Length])
            .Select(layer => (Constant(layer + "KernelOffset"), Constant(layer + "Inputs") * Constant(layer + "Units"))).ToArray();
    }

    [Fact]
    public void Wrong_lengths_and_labels_are_rejected_with_clear_errors()
    {
        var network = new SeedNet();
        var output = new float[10];
        var wrongInput = Assert.Throws<ArgumentException>(() => network.Predict(new float[783], output));
        Assert.Contains("784", wrongInput.Message);
        Assert.Throws<ArgumentException>(() => network.PredictBatch(new float[784 * 2 + 1], new float[20]));
        Assert.Throws<ArgumentException>(() => network.ComputeGradients(new float[784 * 2], new int[3]));
        var badLabel = Assert.Throws<ArgumentOutOfRangeException>(() => network.ComputeGradients(new float[784], new[] { 10 }));
        Assert.Contains("[0, 10)", badLabel.Message);
        Assert.Throws<ArgumentException>(() => network.ComputeGradients(ReadOnlySpan<float>.Empty, ReadOnlySpan<int>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.WorkerCount = 0);
    }
}
