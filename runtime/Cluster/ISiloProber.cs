namespace SageServe.Runtime.Cluster;

/// <summary>Checks directly whether another silo answers (the transport implements it with a ping message).</summary>
public interface ISiloProber
{
    /// <summary>Probes <paramref name="target"/>.</summary>
    /// <returns><see langword="true"/> when it answered in time. A thrown exception counts as a failed probe.</returns>
    /// <remarks>The implementation bounds its own wait; the membership agent awaits it inside its tick.</remarks>
    Task<bool> ProbeAsync(SiloAddress target, CancellationToken cancellationToken);
}
