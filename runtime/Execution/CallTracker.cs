using SageServe.Runtime.Scheduling;

namespace SageServe.Runtime.Execution;

/// <summary>
/// Enforces call deadlines with one timer for all calls: it fires at the earliest deadline it knows of, expires what is
/// due and re-arms. The timer never keeps a simulation alive by itself.
/// </summary>
internal sealed class CallTracker : IDisposable
{
    private readonly Lock _lock = new();
    private readonly IRuntimeClock _clock;
    private readonly ITimer _timer;
    private ITrackedCall? _head;
    private long _armedTicks = long.MaxValue;
    private readonly List<ITrackedCall> _expired = [];

    public CallTracker(IRuntimeClock clock)
    {
        _clock = clock;
        _timer = clock.CreateTimer(static s => ((CallTracker)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, keepsAlive: false);
    }

    public int InFlight { get; private set; }

    public void Track(ITrackedCall call, TimeSpan timeout)
    {
        var now = _clock.Time.GetUtcNow().UtcTicks;
        var deadline = now + timeout.Ticks;
        call.DeadlineTicks = deadline;
        bool arm;
        lock (_lock)
        {
            call.PreviousTracked = null;
            call.NextTracked = _head;
            if (_head is not null)
            {
                _head.PreviousTracked = call;
            }

            _head = call;
            call.IsTracked = true;
            if (InFlight++ == 0)
            {
                SetKeepAlive(true);
            }

            arm = deadline < _armedTicks;
            if (arm)
            {
                _armedTicks = deadline;
            }
        }

        if (arm)
        {
            _timer.Change(TimeSpan.FromTicks(Math.Max(0, deadline - now)), Timeout.InfiniteTimeSpan);
        }
    }

    public void Untrack(ITrackedCall call)
    {
        lock (_lock)
        {
            if (!call.IsTracked)
            {
                return;
            }

            if (call.PreviousTracked is { } previous)
            {
                previous.NextTracked = call.NextTracked;
            }
            else
            {
                _head = call.NextTracked;
            }

            if (call.NextTracked is { } next)
            {
                next.PreviousTracked = call.PreviousTracked;
            }

            call.PreviousTracked = null;
            call.NextTracked = null;
            call.IsTracked = false;
            if (--InFlight == 0)
            {
                SetKeepAlive(false);
            }
        }
    }

    private void OnTimer()
    {
        var now = _clock.Time.GetUtcNow().UtcTicks;
        var nextDeadline = long.MaxValue;
        lock (_lock)
        {
            for (var call = _head; call is not null; call = call.NextTracked)
            {
                if (call.DeadlineTicks <= now)
                {
                    _expired.Add(call);
                }
                else
                {
                    nextDeadline = Math.Min(nextDeadline, call.DeadlineTicks);
                }
            }

            _armedTicks = nextDeadline;
        }

        if (nextDeadline != long.MaxValue)
        {
            _timer.Change(TimeSpan.FromTicks(nextDeadline - now), Timeout.InfiniteTimeSpan);
        }

        // Expire outside the lock: completing a caller untracks it and may run continuations.
        foreach (var call in _expired)
        {
            call.Expire();
        }

        _expired.Clear();
    }

    /// <summary>
    /// A simulation must not stop while a call is outstanding (it would time out eventually), but an empty sweep
    /// timer must not keep it running either.
    /// </summary>
    private void SetKeepAlive(bool keepAlive)
    {
        if (_timer is VirtualTimer virtualTimer)
        {
            virtualTimer.KeepsAlive = keepAlive;
        }
    }

    public void Dispose() => _timer.Dispose();
}
