namespace SageServe.Runtime.Cluster;

/// <summary>A thread-safe, process-local <see cref="IMembershipTable"/> for tests, simulations and single-host clusters.</summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly Lock _lock = new();
    private MembershipSnapshot _snapshot = MembershipSnapshot.Empty;

    /// <inheritdoc />
    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_snapshot);
        }
    }

    /// <inheritdoc />
    public Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        Task.FromResult(TryChange(expectedVersion, entries => MembershipRules.Insert(entries, entry), cancellationToken));

    /// <inheritdoc />
    public Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        Task.FromResult(TryChange(expectedVersion, entries => MembershipRules.Update(entries, entry), cancellationToken));

    /// <inheritdoc />
    public Task<bool> UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var entries = MembershipRules.SetIAmAlive(_snapshot.Entries, address, iAmAliveTime);
            if (entries is null)
            {
                return Task.FromResult(false);
            }

            _snapshot = _snapshot with { Entries = entries };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<int> DeleteDeadEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var entries = MembershipRules.WithoutDeadBefore(_snapshot.Entries, olderThan);
            var deleted = _snapshot.Entries.Count - entries.Count;
            if (deleted > 0)
            {
                _snapshot = new MembershipSnapshot(_snapshot.Version + 1, entries);
            }

            return Task.FromResult(deleted);
        }
    }

    private bool TryChange(long expectedVersion, Func<IReadOnlyList<MembershipEntry>, List<MembershipEntry>?> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_snapshot.Version != expectedVersion)
            {
                return false;
            }

            var entries = change(_snapshot.Entries);
            if (entries is null)
            {
                return false;
            }

            _snapshot = new MembershipSnapshot(expectedVersion + 1, entries);
            return true;
        }
    }
}
