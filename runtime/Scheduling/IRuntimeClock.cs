namespace SageServe.Runtime.Scheduling;

/// <summary>The runtime's clock: time for grains, and timers that may or may not keep a simulation running.</summary>
public interface IRuntimeClock
{
    /// <summary>The time source grains and policies must use instead of the wall clock.</summary>
    TimeProvider Time { get; }

    /// <summary>
    /// Creates a timer. A timer that does not <paramref name="keepsAlive"/> (grain timers, housekeeping) never by itself
    /// keeps <see cref="DeterministicScheduler.RunUntilIdle()"/> going; it still fires in order when time passes its due time.
    /// </summary>
    ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period, bool keepsAlive);
}
