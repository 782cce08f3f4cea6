using System;
using System.Collections.Generic;

namespace CompiledNets.Tests.Runtime;

/// <summary>
/// Records every report synchronously. (<see cref="Progress{T}"/> would post to the thread pool, so its calls could
/// arrive after <c>Fit</c> returned.)
/// </summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value) => Reports.Add(value);
}
