using SageServe.Grains.Domain;

namespace SageServe.Grains.Scaling;

/// <summary>
/// A region's queue of accepted non-interactive requests for one model, earliest deadline first (ties by arrival).
/// Nothing leaves it except by release to an instance; what is still here at cut-off is reported as running.
/// </summary>
public sealed class NiwQueue
{
    private readonly PriorityQueue<InferenceRequest, (long DueTicks, long Sequence)> _queue = new();
    private long _sequence;

    /// <summary>Requests queued.</summary>
    public int Count => _queue.Count;

    /// <summary>Prompt + output tokens queued.</summary>
    public long Tokens { get; private set; }

    /// <summary>Adds a request whose deadline falls at <paramref name="due"/>.</summary>
    public void Enqueue(InferenceRequest request, DateTimeOffset due)
    {
        _queue.Enqueue(request, (due.UtcTicks, _sequence++));
        Tokens += (long)request.PromptTokens + request.OutputTokens;
    }

    /// <summary>The most urgent request and its due time, without removing it.</summary>
    public bool TryPeek(out InferenceRequest request, out DateTimeOffset due)
    {
        if (_queue.TryPeek(out request!, out var priority))
        {
            due = new DateTimeOffset(priority.DueTicks, TimeSpan.Zero);
            return true;
        }

        due = default;
        return false;
    }

    /// <summary>Removes the most urgent request.</summary>
    public InferenceRequest Dequeue()
    {
        var request = _queue.Dequeue();
        Tokens -= (long)request.PromptTokens + request.OutputTokens;
        return request;
    }

    /// <summary>How many queued requests are already past <paramref name="now"/>'s deadline.</summary>
    public int CountOverdue(DateTimeOffset now) => _queue.UnorderedItems.Count(i => i.Priority.DueTicks < now.UtcTicks);
}
