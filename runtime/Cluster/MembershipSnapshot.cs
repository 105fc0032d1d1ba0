namespace SageServe.Runtime.Cluster;

/// <summary>The whole membership table as read at one table version.</summary>
/// <param name="Version">
/// The table version: bumped by every insert, update and cleanup (not by heartbeats). A write conditional on a
/// version succeeds only while the table is still at that version.
/// </param>
/// <param name="Entries">Every silo row, in address order.</param>
public sealed record MembershipSnapshot(long Version, IReadOnlyList<MembershipEntry> Entries)
{
    /// <summary>An empty table at version 0 (what a table that was never written reads as).</summary>
    public static MembershipSnapshot Empty { get; } = new(0, []);

    /// <summary>The row for <paramref name="address"/>, or <see langword="null"/>.</summary>
    public MembershipEntry? Find(SiloAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        foreach (var entry in Entries)
        {
            if (entry.Address == address)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The rows whose status is <see cref="SiloStatus.Active"/>, in address order.</summary>
    public IReadOnlyList<MembershipEntry> ActiveEntries() => Entries.Where(e => e.Status == SiloStatus.Active).ToList();
}
