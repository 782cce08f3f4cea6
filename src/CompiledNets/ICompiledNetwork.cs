using System;

namespace CompiledNets;

/// <summary>
/// What every generated network offers the runtime: <see cref="NetworkTraining"/>'s <c>Fit</c> and
/// <c>Evaluate</c> and the weight files work on any network through this interface.
/// The generated class also exposes the sizes as constants (<c>Net.InputSize</c>, ...).
/// </summary>
public interface ICompiledNetwork
{
    /// <summary>The class name of the network.</summary>
    string Name { get; }

    /// <summary>Floats per input sample (h * w * c, or n).</summary>
    int InputSize { get; }

    /// <summary>Floats per output sample (units of the last layer).</summary>
    int OutputSize { get; }

    /// <summary>Number of trainable parameters: the length of <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }

    /// <summary>A Keras-like table of layers, output shapes and parameter counts.</summary>
    string Summary { get; }

    /// <summary>The loss the network trains against, or <see langword="null"/> for an inference-only network.</summary>
    LossFunction? Loss { get; }

    /// <summary>
    /// Number of threads <c>TrainStep</c>, <c>ComputeGradients</c> and <c>PredictBatch</c> split a batch over
    /// (default: <see cref="Environment.ProcessorCount"/>). Results are bit-for-bit repeatable for a given value.
    /// </summary>
    int WorkerCount { get; set; }

    /// <summary>All trainable parameters, flat, in layer order, Keras layouts (kernel then bias).</summary>
    Span<float> Parameters { get; }

    /// <summary>d(mean loss)/d(parameters) of the last <c>ComputeGradients</c>, same layout as <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>Glorot-uniform kernels and zero biases, deterministic for a given <paramref name="seed"/>.</summary>
    void InitializeParameters(int seed);

    /// <summary>Runs one sample and writes the last layer's activations.</summary>
    void Predict(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>The index of the largest output of <see cref="Predict"/>.</summary>
    int Classify(ReadOnlySpan<float> input);

    /// <summary>Runs <c>inputs.Length / InputSize</c> samples stored back to back.</summary>
    void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>Fills <see cref="Gradients"/> with d(mean loss)/d(parameters) of the batch and returns the mean loss.</summary>
    float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary><see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{int})"/>, then one step of <paramref name="optimizer"/>; returns the mean loss.</summary>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Optimizer optimizer);

    /// <summary>
    /// <see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{int})"/> against float targets,
    /// <see cref="OutputSize"/> per sample: regression values for mean squared error, per-unit probabilities for
    /// binary cross-entropy, class distributions (soft labels) for categorical cross-entropy.
    /// </summary>
    float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets);

    /// <summary><see cref="ComputeGradients(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, then one step of <paramref name="optimizer"/>; returns the mean loss.</summary>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Optimizer optimizer);

    /// <summary>d(loss)/d(input) of one sample against its label (a saliency map).</summary>
    void InputGradient(ReadOnlySpan<float> input, int label, Span<float> inputGradient);

    /// <summary>d(loss)/d(input) of one sample against its float target (<see cref="OutputSize"/> floats).</summary>
    void InputGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> inputGradient);
}
