namespace SageServe.Runtime.Cluster;

/// <summary>The failure-detection rule: whether, and how, one silo's vote changes another silo's row.</summary>
internal static class SuspicionVote
{
    /// <summary>
    /// The row <paramref name="voter"/> should write for <paramref name="target"/>, or <see langword="null"/> when it
    /// has nothing new to say (the target looks alive, is dead already, or this vote is already counted).
    /// </summary>
    public static MembershipEntry? Decide(SiloAddress voter, MembershipEntry target, MembershipSnapshot snapshot, int consecutiveProbeFailures, ClusterOptions options, DateTimeOffset now)
    {
        if (target.Status == SiloStatus.Dead || target.Address == voter)
        {
            return null;
        }

        if (target.Address.SameEndpoint(voter) && target.Address.Generation < voter.Generation)
        {
            return target with { Status = SiloStatus.Dead };
        }

        var suspected = now - target.IAmAliveTime > options.DeathTimeout
            || consecutiveProbeFailures >= options.ProbeFailuresBeforeSuspect;
        if (!suspected)
        {
            return null;
        }

        var others = target.Suspicions
            .Where(s => s.Suspecter != voter && now - s.Time <= options.SuspicionWindow)
            .ToList();
        var votes = others.Select(s => s.Suspecter).Distinct().Count() + 1;
        List<SiloSuspicion> suspicions = [.. others, new SiloSuspicion(voter, now)];
        if (votes >= VotesNeeded(target, snapshot, options, now))
        {
            return target with { Status = SiloStatus.Dead, Suspicions = suspicions };
        }

        var alreadyCounted = target.Suspicions.Any(s => s.Suspecter == voter && now - s.Time <= options.SuspicionWindow);
        return alreadyCounted ? null : target with { Suspicions = suspicions };
    }

    /// <summary>
    /// <see cref="ClusterOptions.NumVotesForDeath"/>, capped by the active silos other than the target whose own
    /// heartbeat is fresh: silos that are themselves silent cannot vote, and must not block the survivors.
    /// </summary>
    public static int VotesNeeded(MembershipEntry target, MembershipSnapshot snapshot, ClusterOptions options, DateTimeOffset now)
    {
        var voters = snapshot.Entries.Count(e =>
            e.Status == SiloStatus.Active && e.Address != target.Address && now - e.IAmAliveTime <= options.DeathTimeout);
        return Math.Clamp(voters, 1, options.NumVotesForDeath);
    }
}
