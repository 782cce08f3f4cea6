using System;
using System.Collections.Generic;

namespace CompiledNets.Tests.Runtime;

/// <summary>
/// A hand-written <see cref="ICompiledNetwork"/>: one Dense(3, softmax) layer over 4 inputs with categorical
/// cross-entropy, gradients derived by hand. It lets the training loop be tested without the generator, and it
/// records every step so tests can see what <c>Fit</c> fed it.
/// </summary>
internal sealed class SoftmaxRegression : ICompiledNetwork
{
    public const int Inputs = 4;
    public const int Classes = 3;

    // Keras layout: kernel [in][out], then bias [out].
    private const int BiasOffset = Inputs * Classes;

    private readonly float[] _parameters = new float[Inputs * Classes + Classes];
    private readonly float[] _gradients = new float[Inputs * Classes + Classes];

    public SoftmaxRegression(int seed = 0, LossFunction? loss = LossFunction.CategoricalCrossEntropy)
    {
        Loss = loss;
        InitializeParameters(seed);
    }

    /// <summary>The batch size of every <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, Optimizer)"/>, in order.</summary>
    public List<int> StepBatchSizes { get; } = [];

    /// <summary>The mean loss every <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, Optimizer)"/> returned, in order.</summary>
    public List<float> StepLosses { get; } = [];

    public string Name => nameof(SoftmaxRegression);
    public int InputSize => Inputs;
    public int OutputSize => Classes;
    public int ParameterCount => _parameters.Length;
    public string Summary => "Dense(3, softmax) over 4 inputs: 15 parameters";
    public LossFunction? Loss { get; }
    public int WorkerCount { get; set; } = 1;
    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;

    public void InitializeParameters(int seed)
    {
        var random = new SeededRandom(seed);
        ParameterInitializer.GlorotUniform(_parameters.AsSpan(0, BiasOffset), Inputs, Classes, ref random);
        _parameters.AsSpan(BiasOffset).Clear();
    }

    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        Require(input.Length == Inputs && output.Length == Classes, "Predict: wrong span lengths");
        for (int o = 0; o < Classes; o++)
        {
            float z = _parameters[BiasOffset + o];
            for (int i = 0; i < Inputs; i++) z += input[i] * _parameters[i * Classes + o];
            output[o] = z;
        }
        Softmax(output);
    }

    public int Classify(ReadOnlySpan<float> input)
    {
        Span<float> output = stackalloc float[Classes];
        Predict(input, output);
        int best = 0;
        for (int o = 1; o < Classes; o++) if (output[o] > output[best]) best = o;
        return best;
    }

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int count = inputs.Length / Inputs;
        Require(inputs.Length == count * Inputs && outputs.Length == count * Classes, "PredictBatch: wrong span lengths");
        for (int n = 0; n < count; n++)
        {
            Predict(inputs.Slice(n * Inputs, Inputs), outputs.Slice(n * Classes, Classes));
        }
    }

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        if (Loss is null) throw new NotSupportedException("inference-only");
        Require(labels.Length > 0 && inputs.Length == labels.Length * Inputs, "ComputeGradients: wrong span lengths");
        Array.Clear(_gradients);
        Span<float> p = stackalloc float[Classes];
        double lossSum = 0;
        float scale = 1f / labels.Length;
        for (int n = 0; n < labels.Length; n++)
        {
            ReadOnlySpan<float> x = inputs.Slice(n * Inputs, Inputs);
            Predict(x, p);
            lossSum -= Math.Log(Math.Max(p[labels[n]], 1e-7f));
            // d(mean loss)/d(logit o) = (p[o] - [o == label]) / batch, the fused softmax-cross-entropy gradient.
            for (int o = 0; o < Classes; o++)
            {
                float dz = (p[o] - (o == labels[n] ? 1f : 0f)) * scale;
                _gradients[BiasOffset + o] += dz;
                for (int i = 0; i < Inputs; i++) _gradients[i * Classes + o] += x[i] * dz;
            }
        }
        return (float)(lossSum / labels.Length);
    }

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Optimizer optimizer)
    {
        float loss = ComputeGradients(inputs, labels);
        optimizer.Step(_parameters, _gradients);
        StepBatchSizes.Add(labels.Length);
        StepLosses.Add(loss);
        return loss;
    }

    /// <summary>Fit and Evaluate train with labels; the float-target members are not this fake's business.</summary>
    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => throw new NotSupportedException();

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Optimizer optimizer) => throw new NotSupportedException();

    public void InputGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> inputGradient) => throw new NotSupportedException();

    public void InputGradient(ReadOnlySpan<float> input, int label, Span<float> inputGradient)
    {
        Require(inputGradient.Length == Inputs, "InputGradient: wrong span length");
        Span<float> p = stackalloc float[Classes];
        Predict(input, p);
        for (int i = 0; i < Inputs; i++)
        {
            float sum = 0;
            for (int o = 0; o < Classes; o++) sum += _parameters[i * Classes + o] * (p[o] - (o == label ? 1f : 0f));
            inputGradient[i] = sum;
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }

    private static void Softmax(Span<float> values)
    {
        float max = values[0];
        for (int i = 1; i < values.Length; i++) max = Math.Max(max, values[i]);
        float sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < values.Length; i++) values[i] /= sum;
    }
}
