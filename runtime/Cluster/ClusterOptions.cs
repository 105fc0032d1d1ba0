namespace SageServe.Runtime.Cluster;

/// <summary>Membership and failure-detection tuning for a <see cref="MembershipAgent"/>.</summary>
public sealed record ClusterOptions
{
    /// <summary>How often a silo writes its heartbeat (IAmAlive) to the table. Default 5 s.</summary>
    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo re-reads the table (and acts on stale heartbeats). Default 5 s.</summary>
    public TimeSpan TableRefreshPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo probes every other live silo. Default 5 s.</summary>
    public TimeSpan ProbePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe may take before it counts as failed. Default 3 s.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A silo whose last heartbeat is older than this is suspected. Default 30 s.</summary>
    public TimeSpan DeathTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed probes after which the prober suspects the target. Default 3.</summary>
    public int ProbeFailuresBeforeSuspect { get; init; } = 3;

    /// <summary>
    /// Distinct suspecters (within <see cref="SuspicionWindow"/>) needed to declare a silo dead; capped by the number of
    /// other active silos with a fresh heartbeat (so a two-silo cluster needs one vote). Default 2.
    /// </summary>
    public int NumVotesForDeath { get; init; } = 2;

    /// <summary>How long a suspicion vote counts. Default 60 s.</summary>
    public TimeSpan SuspicionWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a Dead row stays in the table before the oldest active silo deletes it. Keep it well above any pause a
    /// silo may survive: a silo that finds its row gone treats itself as dead, but only a row tells others it died.
    /// Default 1 day.
    /// </summary>
    public TimeSpan DeadEntryRetention { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How often the oldest active silo deletes Dead rows older than <see cref="DeadEntryRetention"/>. Default 1 h.</summary>
    public TimeSpan DeadEntryCleanupPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many times a start, stop or vote re-reads and retries after losing a version race. Default 8.</summary>
    public int MaxWriteAttempts { get; init; } = 8;

    /// <summary>Throws when an option is out of range; the message names the option.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public ClusterOptions Validate()
    {
        RequirePositive(HeartbeatPeriod, nameof(HeartbeatPeriod));
        RequirePositive(TableRefreshPeriod, nameof(TableRefreshPeriod));
        RequirePositive(ProbePeriod, nameof(ProbePeriod));
        RequirePositive(ProbeTimeout, nameof(ProbeTimeout));
        RequirePositive(DeathTimeout, nameof(DeathTimeout));
        RequirePositive(SuspicionWindow, nameof(SuspicionWindow));
        RequirePositive(DeadEntryRetention, nameof(DeadEntryRetention));
        RequirePositive(DeadEntryCleanupPeriod, nameof(DeadEntryCleanupPeriod));
        if (DeathTimeout <= HeartbeatPeriod)
        {
            throw new ArgumentException(
                $"ClusterOptions.{nameof(DeathTimeout)} ({DeathTimeout}) must exceed {nameof(HeartbeatPeriod)} ({HeartbeatPeriod}), or every silo looks dead between two heartbeats.",
                nameof(DeathTimeout));
        }

        RequireAtLeastOne(ProbeFailuresBeforeSuspect, nameof(ProbeFailuresBeforeSuspect));
        RequireAtLeastOne(NumVotesForDeath, nameof(NumVotesForDeath));
        RequireAtLeastOne(MaxWriteAttempts, nameof(MaxWriteAttempts));
        return this;
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"ClusterOptions.{name} must be positive.");
        }
    }

    private static void RequireAtLeastOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"ClusterOptions.{name} must be at least 1.");
        }
    }
}
