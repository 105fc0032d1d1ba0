namespace SageServe.Simulation.Metrics;

/// <summary>Counters and latency distributions for one slice of traffic (e.g. one region × model × tier).</summary>
public sealed class ServiceStats
{
    /// <summary>Requests that arrived.</summary>
    public long Arrived { get; internal set; }

    /// <summary>Requests completed.</summary>
    public long Completed { get; internal set; }

    /// <summary>Requests rejected, by reason.</summary>
    public Dictionary<string, long> Rejected { get; } = new(StringComparer.Ordinal);

    /// <summary>Arrived and neither completed nor rejected.</summary>
    public long Running => Arrived - Completed - Rejected.Values.Sum();

    /// <summary>Completed requests that met their SLO (IW: TTFT and TBT; NIW: deadline).</summary>
    public long MetSlo { get; internal set; }

    /// <summary>Time to first token, from arrival.</summary>
    public LatencyHistogram TimeToFirstToken { get; } = new();

    /// <summary>Mean time between tokens of each request.</summary>
    public LatencyHistogram TimeBetweenTokens { get; } = new();

    /// <summary>End to end, from arrival to the last token.</summary>
    public LatencyHistogram EndToEnd { get; } = new();

    /// <summary>From arrival until a worker received it (queueing in the control plane).</summary>
    public LatencyHistogram QueueDelay { get; } = new();

    /// <summary>Completed requests meeting their SLO, out of all that arrived and were not still running (1 when none).</summary>
    public double SloAttainment
    {
        get
        {
            var finished = Arrived - Running;
            return finished == 0 ? 1 : (double)MetSlo / finished;
        }
    }

    /// <summary>Adds <paramref name="other"/> into this.</summary>
    public void Merge(ServiceStats other)
    {
        Arrived += other.Arrived;
        Completed += other.Completed;
        MetSlo += other.MetSlo;
        foreach (var (reason, n) in other.Rejected)
        {
            Rejected[reason] = Rejected.GetValueOrDefault(reason) + n;
        }

        TimeToFirstToken.Merge(other.TimeToFirstToken);
        TimeBetweenTokens.Merge(other.TimeBetweenTokens);
        EndToEnd.Merge(other.EndToEnd);
        QueueDelay.Merge(other.QueueDelay);
    }
}
