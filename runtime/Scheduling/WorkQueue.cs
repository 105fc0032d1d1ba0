namespace SageServe.Runtime.Scheduling;

/// <summary>
/// A single-threaded execution context: work posted to it runs one item at a time, in order, with
/// <see cref="SynchronizationContext.Current"/> set to it, so every <c>await</c> inside resumes here. An activation is
/// one; code outside grains under the deterministic scheduler runs in another (the root queue).
/// </summary>
public class WorkQueue : SynchronizationContext, IThreadPoolWorkItem
{
    private readonly Lock _lock = new();
    private readonly IWorkExecutor _executor;
    private WorkItem[] _items = new WorkItem[16];
    private int _head;
    private int _count;
    private bool _scheduled;

    /// <summary>Creates a queue drained by <paramref name="executor"/>.</summary>
    protected internal WorkQueue(IWorkExecutor executor)
    {
        _executor = executor;
    }

    /// <summary>Posts <paramref name="callback"/>(<paramref name="state"/>) to run on this queue.</summary>
    public void Enqueue(Action<object?> callback, object? state) => EnqueueItem(new WorkItem(callback, state));

    /// <inheritdoc />
    public override void Post(SendOrPostCallback d, object? state) => EnqueueItem(new WorkItem(d, state));

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into a grain context would block a turn; use Post.");

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    private void EnqueueItem(in WorkItem item)
    {
        bool schedule;
        lock (_lock)
        {
            if (_count == _items.Length)
            {
                Grow();
            }

            _items[(_head + _count) % _items.Length] = item;
            _count++;
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            _executor.Schedule(this);
        }
    }

    private void Grow()
    {
        var bigger = new WorkItem[_items.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            bigger[i] = _items[(_head + i) % _items.Length];
        }

        _items = bigger;
        _head = 0;
    }

    /// <summary>
    /// Runs queued items until the queue is empty (or <paramref name="budget"/> items ran); returns
    /// <see langword="true"/> when more work remains and the queue must be scheduled again.
    /// </summary>
    internal bool Drain(int budget)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var ran = 0; ran < budget; ran++)
            {
                WorkItem item;
                lock (_lock)
                {
                    if (_count == 0)
                    {
                        _scheduled = false;
                        return false;
                    }

                    item = _items[_head];
                    _items[_head] = default;
                    _head = (_head + 1) % _items.Length;
                    _count--;
                }

                item.Invoke();
            }

            return true;
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Live scheduling: a thread-pool thread drains a bounded batch, then yields the thread.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        if (Drain(budget: 64))
        {
            _executor.Schedule(this);
        }
    }

    private readonly struct WorkItem(Delegate callback, object? state)
    {
        public void Invoke()
        {
            // Exceptions here are bugs in the runtime's own continuations; grain exceptions are captured per request.
            if (callback is Action<object?> action)
            {
                action(state);
            }
            else
            {
                ((SendOrPostCallback)callback)(state);
            }
        }
    }
}
