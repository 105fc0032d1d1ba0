namespace SageServe.Runtime.Cluster;

/// <summary>
/// The cluster's shared membership table: one row per silo (address + generation) and a table version.
/// </summary>
/// <remarks>
/// <para>
/// Every insert, update and cleanup is a compare-and-swap on the table version and bumps it by one, so of two
/// conflicting changes made from the same snapshot exactly one wins; the loser gets <see langword="false"/>, re-reads
/// and decides again. Heartbeats (<see cref="UpdateIAmAliveAsync"/>) touch one row's time only, do not bump the
/// version, and never make a versioned write fail.
/// </para>
/// <para>
/// Rows never leave <see cref="SiloStatus.Dead"/>: an update doing so throws, because a silo declared dead must
/// restart under a new generation.
/// </para>
/// <para>
/// Like any conditional write over a network, a write whose acknowledgement is lost may report <see langword="false"/>
/// although it took effect; callers re-read and recognise their own change.
/// </para>
/// </remarks>
public interface IMembershipTable
{
    /// <summary>Reads the whole table; a table never written reads as <see cref="MembershipSnapshot.Empty"/>.</summary>
    Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="entry"/> if the table is still at <paramref name="expectedVersion"/> and has no row for
    /// its address.
    /// </summary>
    /// <returns><see langword="true"/> when inserted (the version is now <paramref name="expectedVersion"/> + 1);
    /// <see langword="false"/> when the version moved on or the row exists.</returns>
    Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the row for <paramref name="entry"/>'s address if the table is still at
    /// <paramref name="expectedVersion"/>.
    /// </summary>
    /// <returns><see langword="true"/> when updated (the version is now <paramref name="expectedVersion"/> + 1);
    /// <see langword="false"/> when the version moved on or there is no such row.</returns>
    /// <exception cref="InvalidOperationException">The stored row is <see cref="SiloStatus.Dead"/> and the new one is not.</exception>
    Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Sets the heartbeat time of <paramref name="address"/>'s row, whatever the table version.</summary>
    /// <returns><see langword="false"/> when there is no such row.</returns>
    Task<bool> UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the <see cref="SiloStatus.Dead"/> rows whose last heartbeat is before <paramref name="olderThan"/>;
    /// bumps the version when it deletes any.
    /// </summary>
    /// <returns>How many rows were deleted.</returns>
    Task<int> DeleteDeadEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);
}
