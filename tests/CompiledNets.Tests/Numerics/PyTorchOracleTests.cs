using System;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>
/// The generated seed and MLP networks against PyTorch 1.13 (Oracle/, batch of 4, float32, 1 thread):
/// probabilities, loss, every parameter gradient, the input gradient, one SGD step and two Adam steps.
///
/// Tolerances: both sides compute in float32 but sum in different orders (PyTorch's im2col GEMM vs our
/// per-pixel FMA chains; the dense layer sums 5,408 products). Float32 summation error grows like
/// sqrt(n) * 6e-8 * |terms|, i.e. about 1e-6 relative here; the manifest's own float32-vs-float64 spread is up
/// to 1.8e-7. We allow 1e-5 relative plus a small absolute floor scaled to each tensor's magnitude, which
/// the measured maxima (a few 1e-7) stay well below, and which a wrong index or a missing term (errors
/// of the order of the values themselves) would exceed by orders of magnitude.
/// </summary>
public sealed class PyTorchOracleTests
{
    private const int Batch = 4;

    public static TheoryData<string> Configurations => new() { "seed", "mlp" };

    private static ICompiledNetwork Load(string configuration)
    {
        ICompiledNetwork network = configuration switch
        {
            "seed" => new SeedNet(),
            "mlp" => new MlpNet(),
            _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
        };
        OracleData.Floats(configuration, "params.flat.bin").CopyTo(network.Parameters);
        return network;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Probabilities_match_PyTorch(string configuration)
    {
        var network = Load(configuration);
        float[] inputs = OracleData.Floats(configuration, "input.bin");
        var probabilities = new float[Batch * network.OutputSize];

        network.PredictBatch(inputs, probabilities);

        Tolerance.Equal(OracleData.Floats(configuration, "probs.bin"), probabilities, absolute: 1e-6, relative: 1e-5, "probabilities");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Loss_and_every_gradient_match_PyTorch(string configuration)
    {
        var network = Load(configuration);
        float[] inputs = OracleData.Floats(configuration, "input.bin");
        int[] labels = OracleData.Ints(configuration, "labels.i32.bin");

        float loss = network.ComputeGradients(inputs, labels);

        Assert.Equal(OracleData.Floats(configuration, "loss.bin")[0], loss, 1e-5f);
        float[] expected = OracleData.Floats(configuration, "grads.flat.bin");
        Tolerance.Equal(expected, network.Gradients, absolute: 1e-5 * MaxAbs(expected), relative: 1e-5, "gradients");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Input_gradient_matches_PyTorch(string configuration)
    {
        var network = Load(configuration);
        float[] inputs = OracleData.Floats(configuration, "input.bin");
        int[] labels = OracleData.Ints(configuration, "labels.i32.bin");
        float[] meanLossGradient = OracleData.Floats(configuration, "grad_input.bin");
        int size = network.InputSize;
        var gradient = new float[size];

        for (int n = 0; n < Batch; n++)
        {
            network.InputGradient(inputs.AsSpan(n * size, size), labels[n], gradient);
            // The oracle differentiates the mean over 4 samples; one sample's own loss is 4 times that.
            float[] expected = meanLossGradient.AsSpan(n * size, size).ToArray();
            for (int i = 0; i < size; i++) expected[i] *= Batch;
            Tolerance.Equal(expected, gradient, absolute: 1e-5 * MaxAbs(expected), relative: 1e-5, $"input gradient of sample {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void One_SGD_step_matches_PyTorch(string configuration)
    {
        var network = Load(configuration);
        float[] inputs = OracleData.Floats(configuration, "input.bin");
        int[] labels = OracleData.Ints(configuration, "labels.i32.bin");

        network.TrainStep(inputs, labels, new Sgd(learningRate: 0.1f));

        float[] expected = OracleData.Floats(configuration, "after_sgd_lr0.1_step1.flat.bin");
        // Parameters move by 0.1 * gradient: the gradient tolerance times 0.1, plus rounding of the parameters.
        Tolerance.Equal(expected, network.Parameters, absolute: 1e-7, relative: 1e-6, "parameters after SGD");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Two_Adam_steps_match_PyTorch(string configuration)
    {
        var network = Load(configuration);
        float[] inputs = OracleData.Floats(configuration, "input.bin");
        int[] labels = OracleData.Ints(configuration, "labels.i32.bin");
        var adam = new Adam(learningRate: 1e-3f, beta1: 0.9f, beta2: 0.999f, epsilon: 1e-7f);

        // Adam divides each gradient by its own magnitude: a step is lr * g / (|g| + 1e-7). Where |g| is near
        // epsilon (the MLP has gradients of ~1e-6), a float32 summation difference of a few 1e-9 in g moves the
        // step by up to ~3e-4 of lr. We allow 5e-4 of lr: a sign error, a wrong bias correction or a stale
        // moment moves parameters by a whole step (1e-3), thousands of times more.
        const double tolerance = 5e-4 * 1e-3;
        network.TrainStep(inputs, labels, adam);
        Tolerance.Equal(OracleData.Floats(configuration, "after_adam_torch_eps1e-7_step1.flat.bin"), network.Parameters,
            absolute: tolerance, relative: 1e-6, "parameters after Adam step 1");

        network.TrainStep(inputs, labels, adam);
        Tolerance.Equal(OracleData.Floats(configuration, "after_adam_torch_eps1e-7_step2.flat.bin"), network.Parameters,
            absolute: tolerance, relative: 1e-6, "parameters after Adam step 2");
    }

    private static double MaxAbs(float[] values)
    {
        double max = 0;
        foreach (float v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
