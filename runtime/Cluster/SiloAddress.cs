using System.Globalization;
using System.Text.Json.Serialization;

namespace SageServe.Runtime.Cluster;

/// <summary>
/// The identity of one silo process: its endpoint, a generation chosen at start (so a restarted silo on the same
/// endpoint is a new identity), and the cloud region it runs in.
/// </summary>
/// <remarks>
/// A class rather than a record struct: it is a persisted identity that must never exist half-initialised
/// (<c>default</c> would have a null host).
/// </remarks>
public sealed record SiloAddress : IComparable<SiloAddress>
{
    // Derived from the other fields, so it never makes two equal addresses unequal; cached because placement hashes
    // every silo on every lookup.
    private readonly ulong _stableHash;

    /// <summary>Creates an address.</summary>
    /// <param name="host">The host name or IP address (non-empty, no whitespace).</param>
    /// <param name="port">The TCP port (1-65535).</param>
    /// <param name="generation">A positive number unique per start of this endpoint (see <see cref="GenerationAt"/>).</param>
    /// <param name="region">The region the silo runs in (non-empty, e.g. <c>westus</c>).</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public SiloAddress(string host, int port, long generation, string region)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Silo host '{host}' must be non-empty and contain no whitespace.", nameof(host));
        }

        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "Silo port must be 1-65535.");
        }

        if (generation <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(generation), generation, "Silo generation must be positive (use SiloAddress.GenerationAt(startTime)).");
        }

        if (string.IsNullOrWhiteSpace(region))
        {
            throw new ArgumentException("Silo region must be non-empty.", nameof(region));
        }

        Host = host;
        Port = port;
        Generation = generation;
        Region = region;
        _stableHash = ComputeStableHash(ToString());
    }

    /// <summary>The host name or IP address.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The generation: distinguishes successive starts of a silo on the same endpoint.</summary>
    public long Generation { get; }

    /// <summary>The region the silo runs in.</summary>
    public string Region { get; }

    /// <summary>The endpoint, <c>host:port</c>.</summary>
    [JsonIgnore]
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>
    /// The generation for a silo started at <paramref name="startTime"/>: milliseconds since the Unix epoch, so a
    /// restart (later start) always gets a larger generation.
    /// </summary>
    public static long GenerationAt(DateTimeOffset startTime) => Math.Max(1, startTime.ToUnixTimeMilliseconds());

    /// <summary>Whether <paramref name="other"/> is the same endpoint (any generation).</summary>
    public bool SameEndpoint(SiloAddress other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Port == other.Port && string.Equals(Host, other.Host, StringComparison.Ordinal);
    }

    /// <summary>A stable 64-bit hash of the identity (FNV-1a over <see cref="ToString"/>); never <see cref="string.GetHashCode()"/>.</summary>
    public ulong StableHash() => _stableHash;

    private static ulong ComputeStableHash(string text)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * prime;
        }

        return hash;
    }

    /// <summary>Orders by host (ordinal), port, generation, then region: a total order every silo computes alike.</summary>
    public int CompareTo(SiloAddress? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byHost = string.CompareOrdinal(Host, other.Host);
        if (byHost != 0)
        {
            return byHost;
        }

        var byPort = Port.CompareTo(other.Port);
        if (byPort != 0)
        {
            return byPort;
        }

        var byGeneration = Generation.CompareTo(other.Generation);
        return byGeneration != 0 ? byGeneration : string.CompareOrdinal(Region, other.Region);
    }

    /// <summary><c>host:port@generation/region</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}/{Region}");
}
