using System.Collections.Concurrent;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Which caller-served requests still hold pending tokens, and which request ids were already reported (bounded:
/// the oldest ids are forgotten past <see cref="Capacity"/>, so a duplicate that old counts as new).
/// </summary>
public sealed class CompletionLedger
{
    /// <summary>Most ids remembered per map.</summary>
    public const int Capacity = 200_000;

    private readonly ConcurrentDictionary<string, (string Instance, long Tokens)> _expected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _reportedOrder = new();

    /// <summary>A routed request the caller serves and will report.</summary>
    public void Expect(string requestId, string instance, long tokens)
    {
        if (_expected.Count < Capacity)
        {
            _expected[requestId] = (instance, tokens);
        }
    }

    /// <summary>Marks <paramref name="requestId"/> reported; returns whether it was already, and what it held.</summary>
    public (bool Duplicate, (string Instance, long Tokens)? Expected) Complete(string requestId, string instance)
    {
        if (!_reported.TryAdd(requestId, 0))
        {
            return (true, null);
        }

        _reportedOrder.Enqueue(requestId);
        while (_reportedOrder.Count > Capacity && _reportedOrder.TryDequeue(out var old))
        {
            _reported.TryRemove(old, out _);
        }

        return _expected.TryRemove(requestId, out var e) && e.Instance == instance ? (false, e) : (false, null);
    }
}
