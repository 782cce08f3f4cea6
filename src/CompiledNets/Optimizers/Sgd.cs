using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompiledNets;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum, as <c>torch.optim.SGD</c> applies it
/// (no dampening, no weight decay):
/// <c>b = momentum * b + g</c>, then <c>p -= lr * b</c>, or with Nesterov <c>p -= lr * (g + momentum * b)</c>.
/// Without momentum the update is <c>p -= lr * g</c> and no state is kept.
/// </summary>
public sealed class Sgd : Optimizer
{
    private OptimizerState _state;
    private float[]? _velocity;
    private float _learningRate;
    private float _stepLearningRate; // the learning rate of the step begun

    /// <summary>Creates the optimizer; <paramref name="nesterov"/> needs a positive <paramref name="momentum"/>.</summary>
    /// <param name="learningRate">Step size, positive.</param>
    /// <param name="momentum">Weight of the previous velocity, 0 (plain SGD) or more.</param>
    /// <param name="nesterov">Whether to apply Nesterov's look-ahead form of momentum.</param>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false)
    {
        _learningRate = OptimizerArguments.LearningRate(learningRate, nameof(learningRate));
        Momentum = OptimizerArguments.NonNegative(momentum, nameof(momentum));
        if (nesterov && momentum == 0f)
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Nesterov momentum needs a positive momentum.");
        Nesterov = nesterov;
    }

    /// <summary>Step size; may be changed between steps (a learning-rate schedule).</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerArguments.LearningRate(value, nameof(value));
    }

    /// <summary>Weight of the previous velocity (0: plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>Whether the update uses Nesterov's look-ahead gradient.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Begin(_state.BeginStep(nameof(Sgd), parameters.Length, gradients.Length), parameters.Length);
        StepSlice(parameters, gradients, 0);
        EndStep();
    }

    /// <summary>True: each parameter's update reads only its own gradient and velocity.</summary>
    public override bool UpdatesElementwise => true;

    /// <inheritdoc/>
    public override void BeginStep(int parameterCount) =>
        Begin(_state.BeginStep(nameof(Sgd), parameterCount, parameterCount), parameterCount);

    /// <inheritdoc/>
    public override void StepSlice(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        _state.CheckSlice(nameof(Sgd), parameters.Length, gradients.Length, offset);
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        if (_velocity is null)
        {
            Plain(ref p, ref g, (nuint)parameters.Length, _stepLearningRate);
        }
        else
        {
            ref float b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_velocity), offset);
            WithMomentum(ref p, ref g, ref b, (nuint)parameters.Length, _stepLearningRate, Momentum, Nesterov);
        }
    }

    /// <inheritdoc/>
    public override void EndStep()
    {
        _state.EndStep(nameof(Sgd));
        Iterations++;
    }

    // Every slice of a step uses the learning rate of its beginning, even if LearningRate is set meanwhile.
    private void Begin(bool firstUse, int parameterCount)
    {
        if (firstUse && Momentum != 0f)
        {
            _velocity = new float[parameterCount];
        }
        _stepLearningRate = _learningRate;
    }

    // p -= lr * g. Written as p + (-lr) * g like torch's add_(g, alpha=-lr).
    private static void Plain(ref float p, ref float g, nuint length, float learningRate)
    {
        float minusLr = -learningRate;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> lr = Vector512.Create(minusLr);
            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> updated = Vector512.LoadUnsafe(ref p, i) + lr * Vector512.LoadUnsafe(ref g, i);
                updated.StoreUnsafe(ref p, i);
            }
        }
        else
        {
            Vector256<float> lr = Vector256.Create(minusLr);
            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> updated = Vector256.LoadUnsafe(ref p, i) + lr * Vector256.LoadUnsafe(ref g, i);
                updated.StoreUnsafe(ref p, i);
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref p, i) += minusLr * Unsafe.Add(ref g, i);
        }
    }

    // b = momentum * b + g; p -= lr * (nesterov ? g + momentum * b : b), one pass over p, g and b.
    private static void WithMomentum(ref float p, ref float g, ref float b, nuint length, float learningRate, float momentum, bool nesterov)
    {
        float minusLr = -learningRate;
        // One loop serves both forms: direction = gradientWeight * g + velocityWeight * b, with the weights (0, 1) for
        // plain momentum and (1, momentum) for Nesterov. Multiplying by 0 and 1 is exact, so plain momentum steps by b exactly.
        float gradientWeight = nesterov ? 1f : 0f;
        float velocityWeight = nesterov ? momentum : 1f;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> lr = Vector512.Create(minusLr), mu = Vector512.Create(momentum);
            Vector512<float> gw = Vector512.Create(gradientWeight), bw = Vector512.Create(velocityWeight);
            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> grad = Vector512.LoadUnsafe(ref g, i);
                Vector512<float> velocity = mu * Vector512.LoadUnsafe(ref b, i) + grad;
                velocity.StoreUnsafe(ref b, i);
                Vector512<float> direction = gw * grad + bw * velocity;
                (Vector512.LoadUnsafe(ref p, i) + lr * direction).StoreUnsafe(ref p, i);
            }
        }
        else
        {
            Vector256<float> lr = Vector256.Create(minusLr), mu = Vector256.Create(momentum);
            Vector256<float> gw = Vector256.Create(gradientWeight), bw = Vector256.Create(velocityWeight);
            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> grad = Vector256.LoadUnsafe(ref g, i);
                Vector256<float> velocity = mu * Vector256.LoadUnsafe(ref b, i) + grad;
                velocity.StoreUnsafe(ref b, i);
                Vector256<float> direction = gw * grad + bw * velocity;
                (Vector256.LoadUnsafe(ref p, i) + lr * direction).StoreUnsafe(ref p, i);
            }
        }
        for (; i < length; i++)
        {
            float grad = Unsafe.Add(ref g, i);
            float velocity = momentum * Unsafe.Add(ref b, i) + grad;
            Unsafe.Add(ref b, i) = velocity;
            float direction = gradientWeight * grad + velocityWeight * velocity;
            Unsafe.Add(ref p, i) += minusLr * direction;
        }
    }
}
