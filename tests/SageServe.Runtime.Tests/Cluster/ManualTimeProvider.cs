namespace SageServe.Runtime.Tests.Cluster;

/// <summary>A clock that moves only when the test says so; no timers (tests tick agents explicitly).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by)
    {
        Assert.True(by >= TimeSpan.Zero, "virtual time only moves forward");
        _now += by;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("ManualTimeProvider has no timers; drive agents with TickAsync, or use DeterministicScheduler.");
}
