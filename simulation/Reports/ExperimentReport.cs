namespace SageServe.Simulation.Reports;

/// <summary>
/// Everything one <c>sageserve simulate</c> run reports: the stable, documented schema of <c>summary.json</c>
/// (docs/summary-schema.md). Field names are camelCase in JSON; durations are seconds; shares are 0–1.
/// </summary>
/// <param name="SchemaVersion">Bumped on any incompatible change (additions are compatible).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Workload">What was replayed.</param>
/// <param name="Strategies">One entry per strategy, in the order run.</param>
public sealed record ExperimentReport(int SchemaVersion, int Seed, WorkloadSummary Workload, IReadOnlyList<StrategyReport> Strategies)
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;
}

/// <summary>The replayed workload.</summary>
/// <param name="Source">"synthetic" or the trace file name.</param>
/// <param name="Requests">Requests replayed.</param>
/// <param name="Days">Length in days (arrival span).</param>
/// <param name="NonInteractiveShare">Share of NIW requests.</param>
/// <param name="Burst">Whether the burst variant was used.</param>
public sealed record WorkloadSummary(string Source, long Requests, double Days, double NonInteractiveShare, bool Burst);

/// <summary>One strategy's results.</summary>
/// <param name="Name">Strategy name as in SPEC §3 (e.g. <c>Reactive</c>).</param>
/// <param name="GpuHours">GPU-hours held (VM-hours × GPUs), including wasted ones.</param>
/// <param name="WastedGpuHours">GPU-hours held while provisioning, loading, or otherwise unusable because of scaling.</param>
/// <param name="CostUsd">Cost at the SKUs' on-demand (and spot, where used) prices.</param>
/// <param name="ScalingEvents">Scaling actions by kind.</param>
/// <param name="Iw">Interactive tier.</param>
/// <param name="Niw">Non-interactive tier.</param>
/// <param name="Accounting">arrived = completed + rejected + running.</param>
/// <param name="ByRegion">The same per home region.</param>
/// <param name="ByModel">The same per model.</param>
/// <param name="Series">Time series (5-minute buckets) for charts and CSV.</param>
/// <param name="Latency">Latency distribution points for CDF charts.</param>
public sealed record StrategyReport(
    string Name,
    double GpuHours,
    double WastedGpuHours,
    double CostUsd,
    ScalingEventCounts ScalingEvents,
    InteractiveSummary Iw,
    NonInteractiveSummary Niw,
    AccountingSummary Accounting,
    IReadOnlyList<SliceSummary> ByRegion,
    IReadOnlyList<SliceSummary> ByModel,
    TimeSeriesSet Series,
    LatencyDistributions Latency);

/// <summary>Counts of scaling actions.</summary>
/// <param name="Total">All of them.</param>
/// <param name="NewVms">On-demand VMs requested from the cloud.</param>
/// <param name="Reclaims">Donated VMs taken back with the model still loaded.</param>
/// <param name="Swaps">VMs loaded with a different model.</param>
/// <param name="Releases">Instances scaled in (VM donated or released).</param>
public sealed record ScalingEventCounts(long Total, long NewVms, long Reclaims, long Swaps, long Releases);

/// <summary>Interactive-tier latency and SLO.</summary>
/// <param name="Requests">IW requests that arrived.</param>
/// <param name="SloAttainment">Share of finished IW requests that met TTFT and TBT SLOs (0–1).</param>
/// <param name="TtftP50S">Time to first token, p50, seconds.</param>
/// <param name="TtftP95S">p95.</param>
/// <param name="TtftP99S">p99.</param>
/// <param name="TbtP50S">Mean time between tokens, p50.</param>
/// <param name="TbtP95S">p95.</param>
/// <param name="TbtP99S">p99.</param>
/// <param name="E2eP50S">End to end, p50.</param>
/// <param name="E2eP95S">p95.</param>
/// <param name="E2eP99S">p99.</param>
public sealed record InteractiveSummary(
    long Requests, double SloAttainment,
    double TtftP50S, double TtftP95S, double TtftP99S,
    double TbtP50S, double TbtP95S, double TbtP99S,
    double E2eP50S, double E2eP95S, double E2eP99S);

/// <summary>Non-interactive-tier deadlines and delays.</summary>
/// <param name="Requests">NIW requests that arrived.</param>
/// <param name="DeadlineAttainment">Share of finished NIW requests completed before their deadline (0–1).</param>
/// <param name="MissedDeadlines">Requests that completed after their deadline, or were still unfinished past it at cut-off.</param>
/// <param name="QueueDelayP50S">From original arrival to reaching a worker, p50, seconds.</param>
/// <param name="QueueDelayP95S">p95.</param>
/// <param name="QueueDelayP99S">p99.</param>
/// <param name="CompletionP95S">From arrival to completion, p95, seconds.</param>
public sealed record NonInteractiveSummary(
    long Requests, double DeadlineAttainment, long MissedDeadlines,
    double QueueDelayP50S, double QueueDelayP95S, double QueueDelayP99S, double CompletionP95S);

/// <summary>The books: arrived = completed + rejected + running, per tier and in total.</summary>
/// <param name="Arrived">All arrivals.</param>
/// <param name="Completed">Completed.</param>
/// <param name="Rejected">Rejected (reasons in <paramref name="RejectedByReason"/>).</param>
/// <param name="Running">Queued or in service at the cut-off.</param>
/// <param name="RejectedByReason">Rejections per reason.</param>
/// <param name="Interactive">The same for IW.</param>
/// <param name="NonInteractive">The same for NIW.</param>
public sealed record AccountingSummary(
    long Arrived, long Completed, long Rejected, long Running,
    IReadOnlyDictionary<string, long> RejectedByReason,
    TierAccounting Interactive, TierAccounting NonInteractive);

/// <summary>One tier's books.</summary>
/// <param name="Arrived">Arrivals.</param>
/// <param name="Completed">Completed.</param>
/// <param name="Rejected">Rejected.</param>
/// <param name="Running">Unfinished at cut-off.</param>
public sealed record TierAccounting(long Arrived, long Completed, long Rejected, long Running);

/// <summary>Results for one region or one model.</summary>
/// <param name="Name">Region or model name.</param>
/// <param name="GpuHours">GPU-hours attributed to it (regions: all of the region's VMs; models: instances serving it).</param>
/// <param name="Iw">Interactive tier.</param>
/// <param name="Niw">Non-interactive tier.</param>
/// <param name="Accounting">The books.</param>
public sealed record SliceSummary(string Name, double GpuHours, InteractiveSummary Iw, NonInteractiveSummary Niw, AccountingSummary Accounting);

/// <summary>Time series sampled every <paramref name="BucketSeconds"/> from the start.</summary>
/// <param name="BucketSeconds">Bucket width (300 = 5 minutes).</param>
/// <param name="Instances">Serving instances per "region/model" at each bucket end.</param>
/// <param name="Gpus">GPUs held (all states) per region at each bucket end.</param>
/// <param name="NiwQueueDepth">Queued NIW requests per region at each bucket end.</param>
/// <param name="Arrivals">Requests arrived in each bucket, per tier name.</param>
public sealed record TimeSeriesSet(
    int BucketSeconds,
    IReadOnlyDictionary<string, IReadOnlyList<int>> Instances,
    IReadOnlyDictionary<string, IReadOnlyList<int>> Gpus,
    IReadOnlyDictionary<string, IReadOnlyList<long>> NiwQueueDepth,
    IReadOnlyDictionary<string, IReadOnlyList<long>> Arrivals);

/// <summary>Latency quantiles for CDF charts: <c>Quantiles[i]</c> ↦ seconds, per metric and tier.</summary>
/// <param name="Quantiles">The quantile levels (0–1), shared by every series.</param>
/// <param name="Series">Key like <c>interactive.ttft</c>, <c>interactive.e2e</c>, <c>non-interactive.completion</c> ↦ seconds at each level.</param>
public sealed record LatencyDistributions(IReadOnlyList<double> Quantiles, IReadOnlyDictionary<string, IReadOnlyList<double>> Series);
