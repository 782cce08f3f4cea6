using System;
using System.Threading;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class WorkerPoolTests
{
    /// <summary>Each worker writes its share, then in Reduce reads every share: it must see them all finished.</summary>
    private sealed class RecordingTask(int workers) : IBatchTask
    {
        public readonly int[] Executed = new int[workers];
        public readonly int[] SharesSeenByReduce = new int[workers];
        public int Reductions;
        public int? FailingWorker;

        public void Execute(int workerIndex, int workerCount, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs)
        {
            Thread.Sleep(workerIndex * 5); // finish at different times
            if (workerIndex == FailingWorker) throw new InvalidOperationException($"worker {workerIndex} failed");
            outputs[workerIndex] = inputs[workerIndex] * 2;
            Interlocked.Increment(ref Executed[workerIndex]);
        }

        public void Reduce(int workerIndex, int workerCount)
        {
            int seen = 0;
            for (int i = 0; i < workerCount; i++) seen += Volatile.Read(ref Executed[i]);
            SharesSeenByReduce[workerIndex] = seen;
            Interlocked.Increment(ref Reductions);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_worker_runs_its_share_and_reduces_only_after_all_shares(int workers)
    {
        using var pool = new WorkerPool(workers);
        var task = new RecordingTask(workers);
        var inputs = new float[workers];
        for (int i = 0; i < workers; i++) inputs[i] = i + 1;
        var outputs = new float[workers];

        for (int run = 1; run <= 3; run++)
        {
            pool.Run(task, inputs, ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, outputs);
            Assert.All(task.Executed, count => Assert.Equal(run, count));
            Assert.All(task.SharesSeenByReduce, seen => Assert.Equal(run * workers, seen));
        }
        for (int i = 0; i < workers; i++) Assert.Equal(2 * (i + 1), outputs[i]);
    }

    [Fact]
    public void A_failing_worker_is_rethrown_by_Run_and_the_pool_stays_usable()
    {
        using var pool = new WorkerPool(3);
        var task = new RecordingTask(3) { FailingWorker = 2 };
        var buffers = new float[3];

        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(task, buffers, ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, buffers));
        Assert.Equal("worker 2 failed", error.Message);
        // No worker reduced: a reduction may step the parameters, and a batch with a failed share must change nothing.
        Assert.Equal(0, task.Reductions);

        task.FailingWorker = null;
        pool.Run(task, buffers, ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, buffers);
        Assert.Equal(new[] { 2, 2, 1 }, task.Executed);
        Assert.Equal(3, task.Reductions);
    }
}
