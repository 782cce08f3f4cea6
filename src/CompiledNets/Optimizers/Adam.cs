using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompiledNets;

/// <summary>
/// Adam (Kingma &amp; Ba, Algorithm 1) as <c>torch.optim.Adam</c> applies it, with Keras's default hyperparameters:
/// <c>m = b1 m + (1 - b1) g</c>, <c>v = b2 v + (1 - b2) g²</c>, then
/// <c>p -= lr * m_hat / (sqrt(v_hat) + epsilon)</c> with <c>m_hat = m / (1 - b1^t)</c> and <c>v_hat = v / (1 - b2^t)</c>.
/// Unlike Keras's own formula, epsilon is added after the bias correction, as in PyTorch.
/// </summary>
public sealed class Adam : Optimizer
{
    private OptimizerState _state;
    private float[]? _firstMoment;
    private float[]? _secondMoment;
    private float _learningRate;
    private Coefficients _coefficients; // of the step begun

    /// <summary>Creates the optimizer; the defaults are Keras's.</summary>
    /// <param name="learningRate">Step size, positive.</param>
    /// <param name="beta1">Decay of the gradient's running mean, in [0, 1).</param>
    /// <param name="beta2">Decay of the squared gradient's running mean, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
    {
        _learningRate = OptimizerArguments.LearningRate(learningRate, nameof(learningRate));
        Beta1 = OptimizerArguments.DecayRate(beta1, nameof(beta1));
        Beta2 = OptimizerArguments.DecayRate(beta2, nameof(beta2));
        Epsilon = OptimizerArguments.Positive(epsilon, nameof(epsilon));
    }

    /// <summary>Step size; may be changed between steps (a learning-rate schedule).</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerArguments.LearningRate(value, nameof(value));
    }

    /// <summary>Decay of the gradient's running mean.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the squared gradient's running mean.</summary>
    public float Beta2 { get; }

    /// <summary>Added to <c>sqrt(v_hat)</c> so tiny second moments do not blow the step up.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Begin(_state.BeginStep(nameof(Adam), parameters.Length, gradients.Length), parameters.Length);
        StepSlice(parameters, gradients, 0);
        EndStep();
    }

    /// <summary>True: each parameter's update reads only its own gradient and moments.</summary>
    public override bool UpdatesElementwise => true;

    /// <inheritdoc/>
    public override void BeginStep(int parameterCount) =>
        Begin(_state.BeginStep(nameof(Adam), parameterCount, parameterCount), parameterCount);

    /// <inheritdoc/>
    public override void StepSlice(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        _state.CheckSlice(nameof(Adam), parameters.Length, gradients.Length, offset);
        Update(
            ref MemoryMarshal.GetReference(parameters),
            ref MemoryMarshal.GetReference(gradients),
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_firstMoment!), offset),
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_secondMoment!), offset),
            (nuint)parameters.Length,
            _coefficients);
    }

    /// <inheritdoc/>
    public override void EndStep()
    {
        _state.EndStep(nameof(Adam));
        Iterations++;
    }

    // The step's scalars, once per step rather than once per slice.
    private void Begin(bool firstUse, int parameterCount)
    {
        if (firstUse)
        {
            _firstMoment = new float[parameterCount];
            _secondMoment = new float[parameterCount];
        }

        long t = Iterations + 1;
        // The bias corrections in double: 1 - b^t loses most of its digits in float once b^t is close to 1,
        // and this is once per step, not per parameter. PyTorch forms the same two scalars:
        // step_size = lr / (1 - b1^t) and denom = sqrt(v) / sqrt(1 - b2^t) + eps.
        double correction1 = 1.0 - Math.Pow(Beta1, t);
        double correction2 = 1.0 - Math.Pow(Beta2, t);
        _coefficients = new Coefficients(
            beta1: Beta1,
            oneMinusBeta1: 1f - Beta1,
            beta2: Beta2,
            oneMinusBeta2: 1f - Beta2,
            minusStepSize: (float)(-_learningRate / correction1),
            sqrtCorrection2: (float)Math.Sqrt(correction2),
            epsilon: Epsilon);
    }

    /// <summary>The per-step scalars of the update, formed once per step.</summary>
    private readonly struct Coefficients(
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
        float minusStepSize, float sqrtCorrection2, float epsilon)
    {
        public readonly float Beta1 = beta1;
        public readonly float OneMinusBeta1 = oneMinusBeta1;
        public readonly float Beta2 = beta2;
        public readonly float OneMinusBeta2 = oneMinusBeta2;
        public readonly float MinusStepSize = minusStepSize;
        public readonly float SqrtCorrection2 = sqrtCorrection2;
        public readonly float Epsilon = epsilon;
    }

    // One fused pass: each element of p, g, m and v is loaded and stored once. The vector and scalar forms do the
    // same float operations in the same order (no FMA), so an element's result does not depend on where it sits.
    // The operations are PyTorch's: denom = sqrt(v) / sqrt(1 - b2^t) + eps; p += -step_size * (m / denom).
    private static void Update(ref float p, ref float g, ref float m, ref float v, nuint length, in Coefficients c)
    {
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> b1 = Vector512.Create(c.Beta1), oneMinusB1 = Vector512.Create(c.OneMinusBeta1);
            Vector512<float> b2 = Vector512.Create(c.Beta2), oneMinusB2 = Vector512.Create(c.OneMinusBeta2);
            Vector512<float> minusStep = Vector512.Create(c.MinusStepSize);
            Vector512<float> sqrtC2 = Vector512.Create(c.SqrtCorrection2), eps = Vector512.Create(c.Epsilon);
            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> grad = Vector512.LoadUnsafe(ref g, i);
                Vector512<float> m1 = b1 * Vector512.LoadUnsafe(ref m, i) + oneMinusB1 * grad;
                Vector512<float> v1 = b2 * Vector512.LoadUnsafe(ref v, i) + oneMinusB2 * (grad * grad);
                m1.StoreUnsafe(ref m, i);
                v1.StoreUnsafe(ref v, i);
                Vector512<float> denominator = Vector512.Sqrt(v1) / sqrtC2 + eps;
                (Vector512.LoadUnsafe(ref p, i) + minusStep * (m1 / denominator)).StoreUnsafe(ref p, i);
            }
        }
        else
        {
            Vector256<float> b1 = Vector256.Create(c.Beta1), oneMinusB1 = Vector256.Create(c.OneMinusBeta1);
            Vector256<float> b2 = Vector256.Create(c.Beta2), oneMinusB2 = Vector256.Create(c.OneMinusBeta2);
            Vector256<float> minusStep = Vector256.Create(c.MinusStepSize);
            Vector256<float> sqrtC2 = Vector256.Create(c.SqrtCorrection2), eps = Vector256.Create(c.Epsilon);
            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> grad = Vector256.LoadUnsafe(ref g, i);
                Vector256<float> m1 = b1 * Vector256.LoadUnsafe(ref m, i) + oneMinusB1 * grad;
                Vector256<float> v1 = b2 * Vector256.LoadUnsafe(ref v, i) + oneMinusB2 * (grad * grad);
                m1.StoreUnsafe(ref m, i);
                v1.StoreUnsafe(ref v, i);
                Vector256<float> denominator = Vector256.Sqrt(v1) / sqrtC2 + eps;
                (Vector256.LoadUnsafe(ref p, i) + minusStep * (m1 / denominator)).StoreUnsafe(ref p, i);
            }
        }
        for (; i < length; i++)
        {
            float grad = Unsafe.Add(ref g, i);
            float m1 = c.Beta1 * Unsafe.Add(ref m, i) + c.OneMinusBeta1 * grad;
            float v1 = c.Beta2 * Unsafe.Add(ref v, i) + c.OneMinusBeta2 * (grad * grad);
            Unsafe.Add(ref m, i) = m1;
            Unsafe.Add(ref v, i) = v1;
            float denominator = MathF.Sqrt(v1) / c.SqrtCorrection2 + c.Epsilon;
            Unsafe.Add(ref p, i) += c.MinusStepSize * (m1 / denominator);
        }
    }
}
