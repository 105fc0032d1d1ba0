using SageServe.Runtime.Hosting;
using SageServe.Runtime.Execution;

namespace SageServe.Runtime.Timers;

/// <summary>
/// A grain timer on the runtime's clock. Each tick is a non-interleaving turn of its activation; the next tick is
/// scheduled one period after the callback finishes, so ticks never overlap. Ticks do not keep an idle grain alive.
/// </summary>
internal sealed class GrainTimer : Request, IGrainTimer
{
    private readonly Activation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private TimeSpan _period;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private int _queued;

    public GrainTimer(Activation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, string name, bool keepsSimulationAlive)
    {
        Validate(dueTime, period, name);

        _activation = activation;
        _callback = callback;
        _period = period;
        Target = activation;
        Descriptor = CallDescriptor.Internal(name);
        _timer = activation.Runtime.Clock.CreateTimer(static s => ((GrainTimer)s!).OnDue(), this, dueTime, Timeout.InfiniteTimeSpan, keepsSimulationAlive);
    }

    private static void Validate(TimeSpan dueTime, TimeSpan period, string name)
    {
        if ((dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan) || (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentOutOfRangeException(nameof(period), $"Timer '{name}': due time must be ≥ 0 (or infinite) and period > 0 (or infinite).");
        }
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period, Descriptor.Name);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        _period = period;
        _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc />
    public bool KeepsSimulationAlive
    {
        get => _timer is not Scheduling.VirtualTimer virtualTimer || virtualTimer.KeepsAlive;
        set
        {
            if (_timer is Scheduling.VirtualTimer virtualTimer)
            {
                virtualTimer.KeepsAlive = value;
            }
        }
    }

    /// <summary>Ticks completed so far.</summary>
    public long Ticks { get; private set; }

    internal override bool CountsAsActivity => false;

    internal override bool Forwardable => false;

    private void OnDue()
    {
        if (!_disposed.IsCancellationRequested && Interlocked.Exchange(ref _queued, 1) == 0)
        {
            _activation.Receive(this);
        }
    }

    internal override void Execute(Grain grain)
    {
        Task task;
        try
        {
            task = _callback(_disposed.Token);
        }
        catch (Exception e)
        {
            task = Task.FromException(e);
        }

        if (task.IsCompleted)
        {
            Finish(task);
        }
        else
        {
            // Resume on the activation's context: the continuation is the end of this turn.
            _ = FinishAsync(task);
        }
    }

    private async Task FinishAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Observed in Finish.
        }

        Finish(task);
    }

    private void Finish(Task task)
    {
        Ticks++;
        if (task.IsFaulted)
        {
            _activation.Runtime.ReportTimerError(_activation.Id, Descriptor.Name, task.Exception!.GetBaseException());
        }

        Volatile.Write(ref _queued, 0);
        if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan)
        {
            _timer.Change(_period, Timeout.InfiniteTimeSpan);
        }

        _activation.OnRequestFinished(this);
    }

    internal override void Reject(Exception error)
    {
        // A tick that could not run (the activation went away) is simply dropped: timers belong to one activation.
        Volatile.Write(ref _queued, 0);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }
}
