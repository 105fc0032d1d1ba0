namespace SageServe.Runtime.Scheduling;

/// <summary>Live mode: queues drain on the .NET thread pool; time is the system clock.</summary>
public sealed class LiveScheduler : IWorkExecutor, IRuntimeClock
{
    /// <summary>Creates a live scheduler over <paramref name="time"/> (the system clock by default).</summary>
    public LiveScheduler(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public TimeProvider Time { get; }

    /// <inheritdoc />
    public void Schedule(WorkQueue queue) => ThreadPool.UnsafeQueueUserWorkItem(queue, preferLocal: false);

    /// <inheritdoc />
    public ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period, bool keepsAlive) =>
        Time.CreateTimer(callback, state, dueTime, period);
}
