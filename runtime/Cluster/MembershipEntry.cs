using System.Text.Json.Serialization;

namespace SageServe.Runtime.Cluster;

/// <summary>One silo's row in the membership table.</summary>
/// <param name="Address">The silo.</param>
/// <param name="Status">Its status.</param>
/// <param name="StartTime">When it started (its own clock); the oldest active silo hosts cluster singletons.</param>
/// <param name="IAmAliveTime">Its last heartbeat (its own clock).</param>
/// <param name="Suspicions">Votes that it is dead, oldest first.</param>
public sealed record MembershipEntry(
    SiloAddress Address,
    SiloStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime,
    IReadOnlyList<SiloSuspicion> Suspicions)
{
    /// <summary>The silo's region.</summary>
    [JsonIgnore]
    public string Region => Address.Region;

    /// <summary>A fresh entry for a silo that starts at <paramref name="startTime"/>, with no suspicions.</summary>
    public static MembershipEntry Create(SiloAddress address, SiloStatus status, DateTimeOffset startTime) =>
        new(address, status, startTime, startTime, []);
}
