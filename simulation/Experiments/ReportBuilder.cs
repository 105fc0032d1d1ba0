using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Simulation.Metrics;
using SageServe.Simulation.Reports;

namespace SageServe.Simulation.Experiments;

/// <summary>Turns a strategy's collected books into its <see cref="StrategyReport"/> (the summary.json schema).</summary>
public static class ReportBuilder
{
    /// <summary>The quantile levels of the latency CDF series.</summary>
    public static IReadOnlyList<double> CdfQuantiles { get; } = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999];

    /// <summary>Builds the report of one strategy's run.</summary>
    public static StrategyReport Build(StrategyRun run)
    {
        var metrics = run.Requests;
        var fleet = run.Fleet;
        var total = metrics.Total();
        var interactive = metrics.Total((_, _, t) => t == Tier.Interactive);
        var batch = metrics.Total((_, _, t) => t == Tier.NonInteractive);
        var actions = fleet.Actions;
        long Count(ScalingAction a) => actions.GetValueOrDefault(a);
        var events = new ScalingEventCounts(
            Count(ScalingAction.NewVm) + Count(ScalingAction.Reclaim) + Count(ScalingAction.Swap) + Count(ScalingAction.Release),
            Count(ScalingAction.NewVm), Count(ScalingAction.Reclaim), Count(ScalingAction.Swap), Count(ScalingAction.Release));

        var regions = metrics.Slices.Keys.Select(k => k.Region).Distinct().OrderBy(r => r.Name, StringComparer.Ordinal);
        var models = metrics.Slices.Keys.Select(k => k.Model).Distinct().OrderBy(m => m.Name, StringComparer.Ordinal);
        var byRegion = regions.Select(r => Slice(r.Name, fleet.GpuHoursByRegion.GetValueOrDefault(r.Name), metrics, (rr, _, _) => rr == r)).ToList();
        var byModel = models.Select(m => Slice(m.Name, fleet.GpuHoursByModel.GetValueOrDefault(m.Name), metrics, (_, mm, _) => mm == m)).ToList();

        var series = new TimeSeriesSet(
            (int)fleet.Bucket.TotalSeconds,
            fleet.Instances.ToDictionary(p => p.Key, p => (IReadOnlyList<int>)p.Value, StringComparer.Ordinal),
            fleet.Gpus.ToDictionary(p => p.Key, p => (IReadOnlyList<int>)p.Value, StringComparer.Ordinal),
            fleet.NiwQueue.ToDictionary(p => p.Key, p => (IReadOnlyList<long>)p.Value, StringComparer.Ordinal),
            new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal)
            {
                ["interactive"] = metrics.ArrivalsPerBucket(Tier.Interactive).ToList(),
                ["non-interactive"] = metrics.ArrivalsPerBucket(Tier.NonInteractive).ToList(),
            });
        var latency = new LatencyDistributions(CdfQuantiles, new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal)
        {
            ["interactive.ttft"] = Cdf(interactive.TimeToFirstToken),
            ["interactive.tbt"] = Cdf(interactive.TimeBetweenTokens),
            ["interactive.e2e"] = Cdf(interactive.EndToEnd),
            ["non-interactive.completion"] = Cdf(batch.EndToEnd),
            ["non-interactive.queue"] = Cdf(batch.QueueDelay),
        });

        return new StrategyReport(
            run.Strategy, fleet.GpuHours, fleet.WastedGpuHours, fleet.CostUsd, events,
            Interactive(interactive), NonInteractive(batch, run.NiwOverdueAtCutoff),
            Accounting(total, interactive, batch), byRegion, byModel, series, latency);
    }

    /// <remarks>Per slice, NIW still queued past its deadline at cut-off is not attributed (it is in the strategy total).</remarks>
    private static SliceSummary Slice(string name, double gpuHours, MetricsCollector metrics, Func<RegionId, ModelId, Tier, bool> filter)
    {
        var all = metrics.Total(filter);
        var iw = metrics.Total((r, m, t) => t == Tier.Interactive && filter(r, m, t));
        var niw = metrics.Total((r, m, t) => t == Tier.NonInteractive && filter(r, m, t));
        return new SliceSummary(name, gpuHours, Interactive(iw), NonInteractive(niw, overdueAtCutoff: 0), Accounting(all, iw, niw));
    }

    private static InteractiveSummary Interactive(ServiceStats s) => new(
        s.Arrived, s.SloAttainment,
        s.TimeToFirstToken.Percentile(0.5), s.TimeToFirstToken.Percentile(0.95), s.TimeToFirstToken.Percentile(0.99),
        s.TimeBetweenTokens.Percentile(0.5), s.TimeBetweenTokens.Percentile(0.95), s.TimeBetweenTokens.Percentile(0.99),
        s.EndToEnd.Percentile(0.5), s.EndToEnd.Percentile(0.95), s.EndToEnd.Percentile(0.99));

    /// <summary>
    /// Deadline attainment = on time / (on time + late + rejected + overdue still unfinished at cut-off); requests
    /// still running but not yet due do not count either way.
    /// </summary>
    private static NonInteractiveSummary NonInteractive(ServiceStats s, long overdueAtCutoff)
    {
        var late = s.Completed - s.MetSlo;
        var missed = late + overdueAtCutoff;
        var judged = s.MetSlo + missed + s.Rejected.Values.Sum();
        return new NonInteractiveSummary(
            s.Arrived, judged == 0 ? 1 : (double)s.MetSlo / judged, missed,
            s.QueueDelay.Percentile(0.5), s.QueueDelay.Percentile(0.95), s.QueueDelay.Percentile(0.99), s.EndToEnd.Percentile(0.95));
    }

    private static AccountingSummary Accounting(ServiceStats all, ServiceStats iw, ServiceStats niw) => new(
        all.Arrived, all.Completed, all.Rejected.Values.Sum(), all.Running,
        new SortedDictionary<string, long>(all.Rejected, StringComparer.Ordinal),
        TierBooks(iw), TierBooks(niw));

    private static TierAccounting TierBooks(ServiceStats s) => new(s.Arrived, s.Completed, s.Rejected.Values.Sum(), s.Running);

    private static IReadOnlyList<double> Cdf(LatencyHistogram h) => CdfQuantiles.Select(h.Percentile).ToList();
}
