using System;

namespace CompiledNets.Tests.Runtime;

/// <summary>
/// An <see cref="ICompiledNetwork"/> whose input is a single float holding a row index, and whose output is that row
/// of a fixed table: tests of <c>Evaluate</c> choose every output exactly.
/// </summary>
internal sealed class LookupNetwork(float[][] outputsByRow, LossFunction? loss = LossFunction.CategoricalCrossEntropy) : ICompiledNetwork
{
    public string Name => nameof(LookupNetwork);
    public int InputSize => 1;
    public int OutputSize => outputsByRow[0].Length;
    public int ParameterCount => 0;
    public string Summary => "lookup table";
    public LossFunction? Loss => loss;
    public int WorkerCount { get; set; } = 1;
    public Span<float> Parameters => Span<float>.Empty;
    public Span<float> Gradients => Span<float>.Empty;

    /// <summary>Samples whose input is 0, 1, 2, ... with the given labels.</summary>
    public static Dataset RowIndexDataset(int[] labels, int? classCount = null)
    {
        var images = new float[labels.Length];
        for (int i = 0; i < images.Length; i++) images[i] = i;
        return new Dataset(images, labels, 1, 1, 1, classCount);
    }

    public void InitializeParameters(int seed)
    {
    }

    public void Predict(ReadOnlySpan<float> input, Span<float> output) => outputsByRow[(int)input[0]].CopyTo(output);

    public int Classify(ReadOnlySpan<float> input) => throw new NotSupportedException();

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        if (outputs.Length != inputs.Length * OutputSize) throw new ArgumentException("PredictBatch: wrong output length");
        for (int n = 0; n < inputs.Length; n++) Predict(inputs.Slice(n, 1), outputs.Slice(n * OutputSize, OutputSize));
    }

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => throw new NotSupportedException();

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Optimizer optimizer) => throw new NotSupportedException();

    public void InputGradient(ReadOnlySpan<float> input, int label, Span<float> inputGradient) => throw new NotSupportedException();

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => throw new NotSupportedException();

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Optimizer optimizer) => throw new NotSupportedException();

    public void InputGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> inputGradient) => throw new NotSupportedException();
}
