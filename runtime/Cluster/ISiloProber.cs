namespace SageServe.Runtime.Cluster;

/// <summary>Checks directly whether another silo answers (the transport implements it with a ping message).</summary>
public interface ISiloProber
{
    /// <summary>Probes <paramref name="target"/>.</summary>
    /// <returns><see langword="true"/> when it answered in time. A thrown exception counts as a failed probe.</returns>
    /// <remarks>
    /// The agent abandons a probe after <see cref="ClusterOptions.ProbeTimeout"/> and counts it failed; the
    /// implementation should still honour <paramref name="cancellationToken"/> and not leak the abandoned attempt.
    /// </remarks>
    Task<bool> ProbeAsync(SiloAddress target, CancellationToken cancellationToken);
}
