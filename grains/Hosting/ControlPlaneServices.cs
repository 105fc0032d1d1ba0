using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Grains.Scaling;
using SageServe.Grains.Strategies;
using SageServe.Grains.Workers;

namespace SageServe.Grains.Hosting;

/// <summary>What the control-plane grains depend on, given to them at construction (one immutable snapshot).</summary>
/// <param name="Topology">Where models are deployed at start.</param>
/// <param name="Workers">Makes each instance's worker.</param>
/// <param name="Observer">Receives request outcomes (metrics).</param>
public sealed record ControlPlaneServices(FleetTopology Topology, IWorkerDriverFactory Workers, IRequestObserver Observer)
{
    /// <summary>The serving strategy (default <see cref="ReactiveStrategy"/>).</summary>
    public IServingStrategy Strategy { get; init; } = new ReactiveStrategy();

    /// <summary>Thresholds, cooldowns, cloud delays.</summary>
    public ScalingOptions Scaling { get; init; } = new();

    /// <summary>Faults the simulated cloud injects (none by default).</summary>
    public FaultOptions Faults { get; init; } = new();

    /// <summary>The planner's settings.</summary>
    public Planner.PlannerOptions Planner { get; init; } = new();

    /// <summary>Per-minute interactive prompt tokens of each (region, model) before the start (warm-up), or null.</summary>
    public Func<RegionId, ModelId, IReadOnlyList<double>>? PlannerHistory { get; init; }

    /// <summary>Told of every plan (for reports and <c>sageserve plan</c>), or null.</summary>
    public Action<DateTimeOffset, IReadOnlyList<Planner.RegionPlan>>? PlanObserver { get; init; }

    /// <summary>Receives fleet samples and scaling actions.</summary>
    public IFleetObserver Fleet { get; init; } = NullFleetObserver.Instance;

    /// <summary>
    /// Where workers live. Null (simulation): every model instance creates and drives its own worker. Set (live silo):
    /// the instances this layout places on VMs are served by their VM grain's worker, loaded and unloaded on command.
    /// </summary>
    public Vms.VmLayout? Vms { get; init; }

    /// <summary>Capacity of one instance of a model on a SKU (KV tokens, throughput, GPUs, price).</summary>
    public required Func<ModelId, SkuId, InstanceCapacity> Capacity { get; init; }
}

/// <summary>What one instance of a model on a SKU offers and costs.</summary>
/// <param name="KvTokens">
/// Tokens it can hold in its running batch: the KV cache, or the max batch × the mean request's tokens when that is
/// smaller (a worker whose batch is full is saturated whatever its free KV memory). Utilisation is measured against it.
/// </param>
/// <param name="TokensPerSecond">Prompt + output tokens it completes per second at a healthy batch.</param>
/// <param name="Gpus">GPUs its VM holds.</param>
/// <param name="UsdPerHour">Price of its VM per hour.</param>
/// <param name="PromptTokensPerSecond">The prompt part of <paramref name="TokensPerSecond"/> (what forecasts count).</param>
/// <param name="SloPromptTokensPerSecond">
/// Prompt tokens per second one instance sustains with p95 TTFT and mean TBT within SLO (Aladdin's capacity model);
/// 0 when unknown (then <paramref name="PromptTokensPerSecond"/> is used).
/// </param>
public readonly record struct InstanceCapacity(long KvTokens, double TokensPerSecond, int Gpus, double UsdPerHour, double PromptTokensPerSecond = 0, double SloPromptTokensPerSecond = 0);
