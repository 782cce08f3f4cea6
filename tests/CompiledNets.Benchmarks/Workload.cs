using System;

namespace CompiledNets.Benchmarks;

/// <summary>What one benchmark invocation processes: images and the analytic FLOPs per image, for the throughput columns.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WorkloadAttribute(int images, bool training) : Attribute
{
    public int Images { get; } = images;

    /// <summary>True when each image costs <c>FlopsPerTrainStep</c>, false for <c>FlopsPerForward</c>.</summary>
    public bool Training { get; } = training;
}
