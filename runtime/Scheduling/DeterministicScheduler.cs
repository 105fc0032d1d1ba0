namespace SageServe.Runtime.Scheduling;

/// <summary>
/// Simulated mode: every queue drains on the calling thread in (virtual time, sequence) order; time advances only when
/// nothing is runnable, jumping straight to the next timer. Same inputs and seed → same interleaving, byte for byte.
/// </summary>
/// <remarks>Not thread-safe by design: everything runs on the thread that calls a <c>Run*</c> method.</remarks>
public sealed class DeterministicScheduler : IWorkExecutor, IRuntimeClock
{
    private readonly Queue<WorkQueue> _ready = new();
    private readonly PriorityQueue<TimerEntry, (long DueTicks, long Sequence)> _timers = new();
    private readonly VirtualTimeProvider _time;
    private long _timerSequence;
    private int _keepAliveTimers;
    private bool _running;

    /// <summary>Creates a scheduler whose virtual clock starts at <paramref name="start"/>.</summary>
    public DeterministicScheduler(DateTimeOffset start)
    {
        _time = new VirtualTimeProvider(this, start);
        Root = new WorkQueue(this);
    }

    /// <summary>Virtual time.</summary>
    public TimeProvider Time => _time;

    /// <summary>The current virtual instant.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The context for code that runs outside grains (tests, trace replayers) under this scheduler.</summary>
    public WorkQueue Root { get; }

    /// <summary>Work items drained so far (queues run); a cheap progress measure.</summary>
    public long DrainedQueues { get; private set; }

    /// <inheritdoc />
    public void Schedule(WorkQueue queue) => _ready.Enqueue(queue);

    /// <inheritdoc />
    public ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period, bool keepsAlive) =>
        new VirtualTimer(this, callback, state, dueTime, period, keepsAlive);

    /// <summary>Runs until nothing is runnable and no keep-alive timer is pending.</summary>
    public void RunUntilIdle() => RunLoop(DateTimeOffset.MaxValue, stopWhenIdle: true, until: null);

    /// <summary>Runs until idle, or until <paramref name="notAfter"/> if work remains then (the clock stops at the last event run).</summary>
    public void RunUntilIdle(DateTimeOffset notAfter) => RunLoop(notAfter, stopWhenIdle: true, until: null);

    /// <summary>Runs every event due up to <paramref name="deadline"/>, then sets the clock to it.</summary>
    public void RunUntil(DateTimeOffset deadline) => RunLoop(deadline, stopWhenIdle: false, until: null);

    /// <summary>Runs for <paramref name="duration"/> of virtual time.</summary>
    public void RunFor(TimeSpan duration) => RunUntil(Now + duration);

    /// <summary>
    /// Starts <paramref name="entry"/> on the root context and runs until it completes; rethrows its exception.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is left to run and the entry has not completed: a hang.</exception>
    public void Run(Func<Task> entry, DateTimeOffset? deadline = null) => Start(entry, deadline).GetAwaiter().GetResult();

    private Task Start(Func<Task> entry, DateTimeOffset? deadline)
    {
        Task? task = null;
        Root.Enqueue(static s => ((Action)s!)(), new Action(() => task = entry()));
        RunLoop(deadline ?? DateTimeOffset.MaxValue, stopWhenIdle: true, until: () => task is { IsCompleted: true });
        if (task is not { IsCompleted: true })
        {
            throw new InvalidOperationException(
                $"The entry did not complete by {Now:O}: nothing else is runnable (a hang, or the deadline passed).");
        }

        return task;
    }

    /// <summary>Like <see cref="Run(Func{Task}, DateTimeOffset?)"/>, returning the entry's result.</summary>
    /// <exception cref="InvalidOperationException">Nothing is left to run and the entry has not completed: a hang.</exception>
    public T Run<T>(Func<Task<T>> entry, DateTimeOffset? deadline = null)
    {
        var task = (Task<T>)Start(entry, deadline);
        return task.GetAwaiter().GetResult();
    }

    private void RunLoop(DateTimeOffset deadline, bool stopWhenIdle, Func<bool>? until)
    {
        if (_running)
        {
            throw new InvalidOperationException("The deterministic scheduler is already running (re-entrant Run).");
        }

        _running = true;
        var previous = SynchronizationContext.Current;

        // Timer callbacks run here with no context, whoever called Run*: continuations they trigger then run inline on
        // this thread (.NET refuses to inline under a foreign context such as a test runner's, and would hop threads).
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (true)
            {
                while (_ready.TryDequeue(out var queue))
                {
                    DrainedQueues++;
                    if (queue.Drain(int.MaxValue))
                    {
                        _ready.Enqueue(queue);
                    }

                    if (until is not null && until())
                    {
                        return;
                    }
                }

                if (until is not null && until())
                {
                    return;
                }

                if (!TryPeekTimer(out var next) || (stopWhenIdle && _keepAliveTimers == 0))
                {
                    break;
                }

                var due = new DateTimeOffset(next.DueTicks, TimeSpan.Zero);
                if (due > deadline)
                {
                    break;
                }

                _timers.Dequeue();
                _time.AdvanceTo(due);
                next.Timer.Fire(next.Generation);
            }

            if (!stopWhenIdle && deadline != DateTimeOffset.MaxValue && deadline > Now)
            {
                _time.AdvanceTo(deadline);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            _running = false;
        }
    }

    private bool TryPeekTimer(out TimerEntry entry)
    {
        while (_timers.TryPeek(out entry, out _))
        {
            if (entry.Timer.IsCurrent(entry.Generation))
            {
                return true;
            }

            _timers.Dequeue(); // stale: the timer was changed or disposed after this entry was queued
        }

        return false;
    }

    internal void Arm(VirtualTimer timer, int generation, DateTimeOffset due) =>
        _timers.Enqueue(new TimerEntry(timer, generation), (due.UtcTicks, _timerSequence++));

    internal void KeepAliveChanged(int delta) => _keepAliveTimers += delta;

    private readonly record struct TimerEntry(VirtualTimer Timer, int Generation)
    {
        public long DueTicks => Timer.DueTicks;
    }
}
