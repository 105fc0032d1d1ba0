namespace SageServe.Runtime.Cluster;

/// <summary>The table-side rules every <see cref="IMembershipTable"/> applies alike, on an immutable row list.</summary>
internal static class MembershipRules
{
    /// <summary>The rows plus <paramref name="entry"/>, or <see langword="null"/> when its address already has a row.</summary>
    public static List<MembershipEntry>? Insert(IReadOnlyList<MembershipEntry> entries, MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entries.Any(e => e.Address == entry.Address))
        {
            return null;
        }

        var result = new List<MembershipEntry>(entries) { Frozen(entry) };
        result.Sort((a, b) => a.Address.CompareTo(b.Address));
        return result;
    }

    /// <summary>The rows with <paramref name="entry"/> replacing its address's row, or <see langword="null"/> when there is none.</summary>
    /// <exception cref="InvalidOperationException">The update would revive a dead row.</exception>
    public static List<MembershipEntry>? Update(IReadOnlyList<MembershipEntry> entries, MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var index = IndexOf(entries, entry.Address);
        if (index < 0)
        {
            return null;
        }

        if (entries[index].Status == SiloStatus.Dead && entry.Status != SiloStatus.Dead)
        {
            throw new InvalidOperationException(
                $"Silo {entry.Address} is Dead in the membership table and cannot become {entry.Status}; restart it with a new generation.");
        }

        return new List<MembershipEntry>(entries) { [index] = Frozen(entry) };
    }

    /// <summary>The rows with <paramref name="address"/>'s heartbeat set, or <see langword="null"/> when there is no such row.</summary>
    public static List<MembershipEntry>? SetIAmAlive(IReadOnlyList<MembershipEntry> entries, SiloAddress address, DateTimeOffset iAmAliveTime)
    {
        var index = IndexOf(entries, address);
        if (index < 0)
        {
            return null;
        }

        var result = new List<MembershipEntry>(entries);
        result[index] = result[index] with { IAmAliveTime = iAmAliveTime };
        return result;
    }

    /// <summary>The rows without dead ones whose heartbeat is before <paramref name="olderThan"/>.</summary>
    public static List<MembershipEntry> WithoutDeadBefore(IReadOnlyList<MembershipEntry> entries, DateTimeOffset olderThan) =>
        entries.Where(e => !(e.Status == SiloStatus.Dead && e.IAmAliveTime < olderThan)).ToList();

    // The caller may still hold (and mutate) the list it passed in.
    private static MembershipEntry Frozen(MembershipEntry entry) => entry with { Suspicions = entry.Suspicions.ToArray() };

    private static int IndexOf(IReadOnlyList<MembershipEntry> entries, SiloAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Address == address)
            {
                return i;
            }
        }

        return -1;
    }
}
