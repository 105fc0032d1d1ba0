namespace SageServe.Runtime.Scheduling;

/// <summary>A timer on the virtual clock. Changing or disposing it invalidates queued firings by generation.</summary>
internal sealed class VirtualTimer : ITimer
{
    private static readonly TimeSpan s_infinite = Timeout.InfiniteTimeSpan;
    private readonly DeterministicScheduler _scheduler;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private bool _keepsAlive;
    private TimeSpan _period;
    private int _generation;
    private bool _armed;

    public VirtualTimer(DeterministicScheduler scheduler, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period, bool keepsAlive)
    {
        _scheduler = scheduler;
        _callback = callback;
        _state = state;
        _keepsAlive = keepsAlive;
        Change(dueTime, period);
    }

    public long DueTicks { get; private set; }

    /// <summary>Whether the timer, while armed, keeps <see cref="DeterministicScheduler.RunUntilIdle()"/> going.</summary>
    public bool KeepsAlive
    {
        get => _keepsAlive;
        set
        {
            if (value == _keepsAlive)
            {
                return;
            }

            if (_armed)
            {
                _scheduler.KeepAliveChanged(value ? 1 : -1);
            }

            _keepsAlive = value;
        }
    }

    public bool IsCurrent(int generation) => _armed && generation == _generation;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != s_infinite)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime));
        }

        _generation++;
        SetArmed(dueTime != s_infinite);
        _period = period;
        if (_armed)
        {
            var due = _scheduler.Now + dueTime;
            DueTicks = due.UtcTicks;
            _scheduler.Arm(this, _generation, due);
        }

        return true;
    }

    public void Fire(int generation)
    {
        if (!IsCurrent(generation))
        {
            return;
        }

        if (_period > TimeSpan.Zero && _period != s_infinite)
        {
            var due = _scheduler.Now + _period;
            DueTicks = due.UtcTicks;
            _scheduler.Arm(this, _generation, due);
        }
        else
        {
            SetArmed(false);
        }

        _callback(_state);
    }

    public void Dispose()
    {
        _generation++;
        SetArmed(false);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void SetArmed(bool armed)
    {
        if (armed == _armed)
        {
            return;
        }

        _armed = armed;
        if (_keepsAlive)
        {
            _scheduler.KeepAliveChanged(armed ? 1 : -1);
        }
    }
}
