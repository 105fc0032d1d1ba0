namespace SageServe.Runtime.Cluster;

/// <summary>
/// Decides which silo owns a grain, from a membership snapshot alone: every silo holding the same snapshot computes
/// the same owner, and only <see cref="SiloStatus.Active"/> silos ever own anything.
/// </summary>
/// <remarks>
/// <para>
/// Ordinary grains use rendezvous (highest-random-weight) hashing over <see cref="GrainId.StableHash"/> and
/// <see cref="SiloAddress.StableHash"/>: when a silo leaves, only its grains move (about 1/N of all), spread over
/// the survivors; when one joins, it takes about 1/N from every other silo.
/// </para>
/// <para>
/// A grain tagged with a region (<c>regionOf</c>) is placed among that region's active silos, or among all active
/// silos when the region has none. A cluster singleton lives on the oldest active silo (earliest start, ties by
/// address), so it moves only when that silo leaves, and then to the next oldest.
/// </para>
/// </remarks>
public sealed class PlacementDirector
{
    /// <summary>The grain type that is a cluster singleton by default.</summary>
    public const string PlannerGrainType = "planner";

    private readonly Func<GrainId, string?> _regionOf;
    private readonly Func<GrainId, bool> _isSingleton;

    // The active rows of the last snapshot seen: lookups against the same snapshot skip the filtering.
    private volatile ActiveView? _lastView;

    /// <summary>Creates a director.</summary>
    /// <param name="regionOf">The region a grain must live in when it can, or <see langword="null"/>; <see cref="DefaultRegionOf"/> when omitted.</param>
    /// <param name="isSingleton">Whether a grain is a cluster singleton; grain type <c>planner</c> when omitted.</param>
    public PlacementDirector(Func<GrainId, string?>? regionOf = null, Func<GrainId, bool>? isSingleton = null)
    {
        _regionOf = regionOf ?? DefaultRegionOf;
        _isSingleton = isSingleton ?? (grain => string.Equals(grain.Type, PlannerGrainType, StringComparison.Ordinal));
    }

    /// <summary>
    /// The region of grains of type <c>region</c>, <c>instance</c> and <c>vm</c>: their key is <c>&lt;region&gt;</c> or
    /// <c>&lt;region&gt;/…</c>. Other grains have none.
    /// </summary>
    public static string? DefaultRegionOf(GrainId grain)
    {
        if (grain.Type is not ("region" or "instance" or "vm") || string.IsNullOrEmpty(grain.Key))
        {
            return null;
        }

        var slash = grain.Key.IndexOf('/', StringComparison.Ordinal);
        var region = slash < 0 ? grain.Key : grain.Key[..slash];
        return region.Length == 0 ? null : region;
    }

    /// <summary>The owner of <paramref name="grain"/> under <paramref name="snapshot"/>, or <see langword="null"/> when no silo is active.</summary>
    public SiloAddress? GetOwner(GrainId grain, MembershipSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var view = _lastView;
        if (view is null || !ReferenceEquals(view.Snapshot, snapshot))
        {
            view = new ActiveView(snapshot, snapshot.ActiveEntries());
            _lastView = view;
        }

        var active = view.Active;
        if (active.Count == 0)
        {
            return null;
        }

        if (_isSingleton(grain))
        {
            return OldestOf(active);
        }

        var candidates = _regionOf(grain) is { } region ? view.InRegion(region) : active;
        return HighestWeight(grain.StableHash(), candidates);
    }

    /// <summary>The silo that hosts cluster singletons: the oldest active one, or <see langword="null"/> when none is active.</summary>
    public static SiloAddress? GetSingletonOwner(MembershipSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var active = snapshot.ActiveEntries();
        return active.Count == 0 ? null : OldestOf(active);
    }

    /// <summary>The rendezvous weight of a grain hash on a silo (a SplitMix64 mix of both hashes).</summary>
    public static ulong Weight(ulong grainHash, SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return Mix(Mix(grainHash) ^ Mix(silo.StableHash() + 0x9E3779B97F4A7C15UL));
    }

    private static SiloAddress HighestWeight(ulong grainHash, IReadOnlyList<MembershipEntry> candidates)
    {
        var best = candidates[0].Address;
        var bestWeight = Weight(grainHash, best);
        for (var i = 1; i < candidates.Count; i++)
        {
            var silo = candidates[i].Address;
            var weight = Weight(grainHash, silo);
            if (weight > bestWeight || (weight == bestWeight && silo.CompareTo(best) < 0))
            {
                best = silo;
                bestWeight = weight;
            }
        }

        return best;
    }

    private static SiloAddress OldestOf(IReadOnlyList<MembershipEntry> active)
    {
        var oldest = active[0];
        foreach (var entry in active)
        {
            if (entry.StartTime < oldest.StartTime || (entry.StartTime == oldest.StartTime && entry.Address.CompareTo(oldest.Address) < 0))
            {
                oldest = entry;
            }
        }

        return oldest.Address;
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private sealed record ActiveView(MembershipSnapshot Snapshot, IReadOnlyList<MembershipEntry> Active)
    {
        // Per region, computed once per snapshot (placement runs on every grain call in a cluster).
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<MembershipEntry>> _byRegion = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The region's active silos, or every active silo when the region has none.</summary>
        public IReadOnlyList<MembershipEntry> InRegion(string region) =>
            _byRegion.GetOrAdd(region, static (r, active) =>
            {
                var local = active.Where(e => string.Equals(e.Region, r, StringComparison.OrdinalIgnoreCase)).ToList();
                return local.Count > 0 ? local : active;
            }, Active);
    }
}
