using System.Globalization;

namespace SageServe.Runtime.Storage;

/// <summary>
/// An in-process <see cref="IGrainStorage"/> for tests and single-process runs. Thread-safe; contents vanish with
/// the instance.
/// </summary>
/// <remarks>
/// ETags are decimal version numbers drawn from one counter per instance, so they increase monotonically and are
/// never reused, even after a record is cleared and created again (no ABA). Data is copied on write and on read so
/// neither the writer nor a reader can change the stored bytes afterwards.
/// </remarks>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<(string StateName, GrainId GrainId), StoredState> _records = [];
    private readonly Lock _lock = new();
    private long _lastVersion;

    /// <summary>The number of records currently stored.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        cancellationToken.ThrowIfCancellationRequested();
        StoredState? found;
        lock (_lock)
        {
            _records.TryGetValue((stateName, grainId), out found);
        }

        // The stored array is never mutated after insertion, so copying outside the lock is safe.
        return ValueTask.FromResult(found is null ? null : found with { Data = found.Data.ToArray() });
    }

    /// <inheritdoc />
    public ValueTask<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = data.ToArray();
        var key = (stateName, grainId);
        lock (_lock)
        {
            _records.TryGetValue(key, out var current);
            EnsureEtagMatches(stateName, grainId, current?.Etag, expectedEtag);
            var etag = (++_lastVersion).ToString(CultureInfo.InvariantCulture);
            _records[key] = new StoredState(copy, etag);
            return ValueTask.FromResult(etag);
        }
    }

    /// <inheritdoc />
    public ValueTask ClearAsync(string stateName, GrainId grainId, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        cancellationToken.ThrowIfCancellationRequested();
        var key = (stateName, grainId);
        lock (_lock)
        {
            _records.TryGetValue(key, out var current);
            EnsureEtagMatches(stateName, grainId, current?.Etag, expectedEtag);
            _records.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    private static void EnsureEtagMatches(string stateName, GrainId grainId, string? storedEtag, string? expectedEtag)
    {
        if (!string.Equals(storedEtag, expectedEtag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of grain {grainId}: stored ETag is {Describe(storedEtag)} but the writer expected {Describe(expectedEtag)}.",
                storedEtag,
                expectedEtag);
        }
    }

    internal static string Describe(string? etag) => etag is null ? "<none>" : $"'{etag}'";
}
