namespace SageServe.Runtime.Cluster;

/// <summary>
/// Probes a set of silos and counts each one's consecutive failures (a success resets the count). A probe that does not
/// answer within the timeout is a failure: a hung transport must not hold up the silo's own heartbeats.
/// </summary>
internal sealed class SiloProbeTracker(ISiloProber prober, int failuresBeforeSuspect, TimeSpan probeTimeout, TimeProvider timeProvider)
{
    private readonly Dictionary<SiloAddress, int> _failures = [];

    /// <summary>The consecutive failed probes of <paramref name="silo"/> so far.</summary>
    public int FailuresOf(SiloAddress silo) => _failures.GetValueOrDefault(silo);

    /// <summary>Probes every target concurrently; forgets silos no longer probed.</summary>
    /// <returns>Whether some silo just reached the suspicion threshold.</returns>
    public async Task<bool> ProbeAllAsync(IReadOnlyList<SiloAddress> targets, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(targets.Select(t => ProbeOneAsync(t, cancellationToken))).ConfigureAwait(false);
        foreach (var gone in _failures.Keys.Except(targets).ToList())
        {
            _failures.Remove(gone);
        }

        var newSuspect = false;
        for (var i = 0; i < targets.Count; i++)
        {
            var failures = results[i] ? 0 : FailuresOf(targets[i]) + 1;
            _failures[targets[i]] = failures;
            newSuspect |= failures == failuresBeforeSuspect;
        }

        return newSuspect;
    }

    private async Task<bool> ProbeOneAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        try
        {
            return await prober.ProbeAsync(target, cancellationToken).WaitAsync(probeTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // An unreachable silo often shows up as a connection error rather than a clean "no".
            return false;
        }
    }
}
