namespace SageServe.Runtime.Scheduling;

/// <summary>The virtual clock of a <see cref="DeterministicScheduler"/>; timers created here keep the run alive.</summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly DeterministicScheduler _scheduler;
    private DateTimeOffset _now;

    internal VirtualTimeProvider(DeterministicScheduler scheduler, DateTimeOffset start)
    {
        _scheduler = scheduler;
        _now = start;
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => _now.UtcTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _scheduler.CreateTimer(callback, state, dueTime, period, keepsAlive: true);

    internal void AdvanceTo(DateTimeOffset instant)
    {
        if (instant > _now)
        {
            _now = instant;
        }
    }
}
