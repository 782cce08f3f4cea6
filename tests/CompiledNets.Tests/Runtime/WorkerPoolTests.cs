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

    /// <summary>Each worker prepares a share (at different speeds); each share then counts the preparations it sees.</summary>
    private sealed class PreparingTask(int workers) : IBatchTask
    {
        public readonly int[] Prepared = new int[workers];
        public readonly int[] PreparationsSeenByExecute = new int[workers];
        public int Executions, Reductions;
        public bool Preparing = true;
        public int? FailingWorker;

        public bool Prepares => Preparing;

        public void Prepare(int workerIndex, int workerCount)
        {
            Thread.Sleep((workerCount - 1 - workerIndex) * 5); // worker 0, the caller, finishes last
            if (workerIndex == FailingWorker) throw new InvalidOperationException($"worker {workerIndex} failed to prepare");
            Interlocked.Increment(ref Prepared[workerIndex]);
        }

        public void Execute(int workerIndex, int workerCount, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs)
        {
            int seen = 0;
            for (int i = 0; i < workerCount; i++) seen += Volatile.Read(ref Prepared[i]);
            PreparationsSeenByExecute[workerIndex] = seen;
            Interlocked.Increment(ref Executions);
        }

        public void Reduce(int workerIndex, int workerCount) => Interlocked.Increment(ref Reductions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_worker_prepares_before_any_executes_when_the_task_prepares(int workers)
    {
        using var pool = new WorkerPool(workers);
        var task = new PreparingTask(workers);
        var buffers = new float[workers];
        for (int run = 1; run <= 3; run++)
        {
            pool.Run(task, buffers, ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, buffers);
            Assert.All(task.Prepared, count => Assert.Equal(run, count));
            Assert.All(task.PreparationsSeenByExecute, seen => Assert.Equal(run * workers, seen));
        }

        task.Preparing = false; // a batch that needs no preparation skips the phase
        pool.Run(task, buffers, ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, buffers);
        Assert.All(task.Prepared, count => Assert.Equal(3, count));
        Assert.Equal(4 * workers, task.Executions);
    }

    [Fact]
    public void A_failing_preparation_is_rethrown_and_no_share_runs()
    {
        using var pool = new WorkerPool(3);
        var task = new PreparingTask(3) { FailingWorker = 1 };
        var buffers = new float[3];

        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(task, buffers, ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, buffers));
        Assert.Equal("worker 1 failed to prepare", error.Message);
        Assert.Equal(0, task.Executions);
        Assert.Equal(0, task.Reductions);

        task.FailingWorker = null;
        pool.Run(task, buffers, ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, buffers);
        Assert.Equal(3, task.Executions);
        Assert.Equal(3, task.Reductions);
    }
}
