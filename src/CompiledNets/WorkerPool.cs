using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace CompiledNets;

/// <summary>
/// Persistent threads that run an <see cref="IBatchTask"/> together with the calling thread (which is worker 0):
/// first (when the task <see cref="IBatchTask.Prepares"/>) every worker's <see cref="IBatchTask.Prepare"/>, then, after a
/// barrier, every worker's <see cref="IBatchTask.Execute"/>, then, after another, every worker's <see cref="IBatchTask.Reduce"/>.
/// No task or thread is created per batch: workers spin briefly, then block, waiting for the next one.
/// The batch's spans are pinned for the duration of <see cref="Run"/> and handed to the workers as pointers.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WorkerPool : IDisposable
{
    private readonly Core _core;

    /// <summary>Starts <paramref name="workerCount"/> - 1 background threads.</summary>
    public WorkerPool(int workerCount)
    {
        if (workerCount < 1) throw new ArgumentOutOfRangeException(nameof(workerCount), workerCount, "must be at least 1");
        _core = new Core(workerCount);
    }

    /// <summary>The workers' threads hold only the core, so an abandoned pool is finalized and its threads end.</summary>
    ~WorkerPool() => _core?.Dispose(); // null when the constructor threw

    /// <summary>Workers, the calling thread included.</summary>
    public int WorkerCount => _core.WorkerCount;

    /// <summary>Runs <paramref name="task"/> on every worker and returns when all are done; rethrows the first failure.</summary>
    public void Run(IBatchTask task, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs)
    {
        ArgumentNullException.ThrowIfNull(task);
        _core.Run(task, inputs, labels, targets, outputs);
        GC.KeepAlive(this);
    }

    /// <summary>Ends the threads.</summary>
    public void Dispose()
    {
        _core.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed unsafe class Core : IDisposable
    {
        /// <summary>
        /// How long an idle worker spins for the next batch before it blocks. Training calls come back to back
        /// with only the optimizer step between them; waking a blocked thread costs tens of microseconds (more
        /// in a VM), several percent of a step, while spinning through the gap costs nothing.
        /// </summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 500; // 2 ms

        private readonly ManualResetEventSlim[] _wake;
        private int _generation;
        private readonly object _runLock = new();
        private IBatchTask? _task;
        private float* _inputs;
        private int* _labels;
        private float* _targets;
        private float* _outputs;
        private int _inputsLength, _labelsLength, _targetsLength, _outputsLength;
        private int _pending;
        private bool _prepares;
        private int _prepared;
        private int _executed;
        private Exception? _error;
        private volatile bool _disposed;

        public Core(int workerCount)
        {
            WorkerCount = workerCount;
            _wake = new ManualResetEventSlim[workerCount];
            for (int i = 1; i < workerCount; i++)
            {
                _wake[i] = new ManualResetEventSlim(false);
                int index = i;
                var thread = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"CompiledNets worker {i}" };
                thread.Start();
            }
        }

        public int WorkerCount { get; }

        public void Run(IBatchTask task, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (_runLock)
            {
                fixed (float* inputPointer = inputs)
                fixed (int* labelPointer = labels)
                fixed (float* targetPointer = targets)
                fixed (float* outputPointer = outputs)
                {
                    _task = task;
                    _inputs = inputPointer;
                    _inputsLength = inputs.Length;
                    _labels = labelPointer;
                    _labelsLength = labels.Length;
                    _targets = targetPointer;
                    _targetsLength = targets.Length;
                    _outputs = outputPointer;
                    _outputsLength = outputs.Length;
                    Volatile.Write(ref _pending, WorkerCount - 1);
                    _prepares = task.Prepares;
                    Volatile.Write(ref _prepared, 0);
                    Volatile.Write(ref _executed, 0);
                    Interlocked.Increment(ref _generation);
                    // Wakes the workers that gave up spinning; for a spinning one it only leaves the event set.
                    for (int i = 1; i < WorkerCount; i++) _wake[i].Set();
                    try
                    {
                        ExecuteThenReduce(task, 0, inputs, labels, targets, outputs);
                    }
                    finally
                    {
                        WaitForWorkers();
                        _task = null;
                        _inputs = null;
                        _labels = null;
                        _targets = null;
                        _outputs = null;
                    }
                }
                if (_error is { } error)
                {
                    _error = null;
                    ExceptionDispatchInfo.Capture(error).Throw();
                }
            }
        }

        /// <summary>
        /// The caller waits only for the other workers to finish shares as large as its own, so it spins and
        /// yields rather than blocking: a blocking wait could allocate on this thread, and steady-state
        /// training must allocate nothing.
        /// </summary>
        private void WaitForWorkers()
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        }

        private void WorkerLoop(int index)
        {
            int seen = 0;
            while (true)
            {
                seen = WaitForBatch(index, seen);
                if (_disposed) return;
                ExecuteThenReduce(_task!, index,
                    new ReadOnlySpan<float>(_inputs, _inputsLength),
                    new ReadOnlySpan<int>(_labels, _labelsLength),
                    new ReadOnlySpan<float>(_targets, _targetsLength),
                    new Span<float>(_outputs, _outputsLength));
                Interlocked.Decrement(ref _pending);
            }
        }

        /// <summary>
        /// One worker's part of the preparation and the barrier after it (when the task prepares), its share (only when
        /// every preparation succeeded), the barrier, then its part of the reduction, which runs only when every share succeeded:
        /// a reduction may update the parameters (an optimizer step per slice), and half a step must never be applied.
        /// A failure is kept for <see cref="Run"/> to rethrow.
        /// </summary>
        private void ExecuteThenReduce(IBatchTask task, int index, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs)
        {
            if (_prepares)
            {
                try
                {
                    task.Prepare(index, WorkerCount);
                }
                catch (Exception exception)
                {
                    Interlocked.CompareExchange(ref _error, exception, null);
                }
                ArriveAndWaitForAll(ref _prepared); // even after a failure, or the others would wait forever
            }
            // A failed preparation fails the batch: no share runs on what it left half done.
            if (Volatile.Read(ref _error) is null)
            {
                try
                {
                    task.Execute(index, WorkerCount, inputs, labels, targets, outputs);
                }
                catch (Exception exception)
                {
                    Interlocked.CompareExchange(ref _error, exception, null);
                }
            }
            ArriveAndWaitForAll(ref _executed); // even after a failure, or the others would wait forever
            if (Volatile.Read(ref _error) is not null) return;
            try
            {
                task.Reduce(index, WorkerCount);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _error, exception, null);
            }
        }

        /// <summary>
        /// The barrier between two phases: every worker's part of one (counted in <paramref name="arrived"/>, zeroed by
        /// <see cref="Run"/>) is done before any worker starts the next, which reads it.
        /// </summary>
        private void ArriveAndWaitForAll(ref int arrived)
        {
            Interlocked.Increment(ref arrived);
            var spinner = new SpinWait();
            while (Volatile.Read(ref arrived) < WorkerCount) spinner.SpinOnce(sleep1Threshold: -1);
        }

        /// <summary>Spins for up to <see cref="SpinTicks"/> for a batch newer than <paramref name="seen"/>, then blocks; returns its generation.</summary>
        private int WaitForBatch(int index, int seen)
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            var spinner = new SpinWait();
            int generation;
            while ((generation = Volatile.Read(ref _generation)) == seen && !_disposed)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                // Reset before re-checking, so a Set that comes after the check is never lost.
                _wake[index].Reset();
                if (Volatile.Read(ref _generation) != seen || _disposed) continue;
                _wake[index].Wait();
                spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            }
            return generation;
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            for (int i = 1; i < WorkerCount; i++) _wake[i].Set();
        }
    }
}
