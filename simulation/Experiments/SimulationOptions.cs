using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Metrics;

namespace SageServe.Simulation.Experiments;

/// <summary>One simulated run: where the fleet starts, the clock, the seed, and when to stop.</summary>
public sealed record SimulationOptions
{
    /// <summary>The instant request arrival offsets count from (default Tuesday 2026-01-06 00:00 UTC).</summary>
    public DateTimeOffset Epoch { get; init; } = new(2026, 1, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Root seed of grain randomness.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where each model is deployed at start.</summary>
    public required FleetTopology Topology { get; init; }

    /// <summary>Latency models and KV capacities.</summary>
    public required PerformanceCatalog Catalog { get; init; }

    /// <summary>The interactive SLO.</summary>
    public SloPolicy Slo { get; init; } = new();

    /// <summary>
    /// After the last arrival, how long to keep serving before the cut-off; what is unfinished then is reported as
    /// running. Default 2 h.
    /// </summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Most sequences a simulated worker batches (default 64).</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>Per-minute interactive prompt tokens of each (region, model) before the start, for the planner's forecasts (or null).</summary>
    public Func<RegionId, ModelId, IReadOnlyList<double>>? PlannerHistory { get; init; }

    /// <summary>Told of every plan the planner makes (long-term strategies), or null.</summary>
    public Action<DateTimeOffset, IReadOnlyList<Grains.Planner.RegionPlan>>? PlanObserver { get; init; }

    /// <summary>The planner's settings (its mode follows the strategy).</summary>
    public Grains.Planner.PlannerOptions Planner { get; init; } = new();

    /// <summary>Faults the simulated cloud injects (none by default).</summary>
    public FaultOptions Faults { get; init; } = new();

    /// <summary>Reactive thresholds, NIW bands, cloud delays and quotas.</summary>
    public ScalingOptions Scaling { get; init; } = new();

    /// <summary>Mean prompt tokens of the workload (for per-instance throughput estimates).</summary>
    public double MeanPromptTokens { get; init; } = 1_000;

    /// <summary>Mean output tokens of the workload (for per-instance throughput estimates).</summary>
    public double MeanOutputTokens { get; init; } = 222;

    /// <summary>Width of the time-series buckets in reports (default 5 min).</summary>
    public TimeSpan Bucket { get; init; } = TimeSpan.FromMinutes(5);
}
