using System.Collections.Concurrent;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Route decisions by caller-supplied request id, so a retried call (same id, e.g. after a client timeout) gets the
/// first decision instead of being routed, counted and served twice. Bounded: past <see cref="Capacity"/> the oldest
/// ids are forgotten.
/// </summary>
public sealed class RecentRoutes
{
    /// <summary>Most ids remembered.</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, Task<RouteResult>> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>The decision for <paramref name="requestId"/>: the remembered one, or <paramref name="route"/>'s (remembered).</summary>
    public async Task<RouteResult> GetOrRouteAsync(string requestId, Func<Task<RouteResult>> route)
    {
        var mine = new TaskCompletionSource<RouteResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = _byId.GetOrAdd(requestId, mine.Task);
        if (winner != mine.Task)
        {
            return await winner.ConfigureAwait(false);
        }

        _order.Enqueue(requestId);
        while (_order.Count > Capacity && _order.TryDequeue(out var old))
        {
            _byId.TryRemove(old, out _);
        }

        try
        {
            var result = await route().ConfigureAwait(false);
            mine.SetResult(result);
            return result;
        }
        catch (Exception e)
        {
            // A failed decision is not remembered: the retry routes afresh.
            _byId.TryRemove(new KeyValuePair<string, Task<RouteResult>>(requestId, mine.Task));
            mine.SetException(e);
            throw;
        }
    }
}
