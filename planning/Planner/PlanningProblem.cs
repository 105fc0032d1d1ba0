namespace SageServe.Planning.Planner;

/// <summary>
/// Input of one planner run (SPEC §5): models, regions, deployment configurations, the horizon's interactive
/// forecast and NIW backlog, current instances, quotas, allowed routes, floor, damping and penalties.
/// </summary>
/// <remarks>
/// Units: interactive load, capacity per instance and NIW work must share one load unit. SageServe uses prompt
/// tokens/s (the forecast series is IW prompt tokens; the capacity is <see cref="Capacity.CapacityModel.MaxPromptTokensPerSecond"/>);
/// NIW work is then in prompt-token-seconds per second × hours, i.e. prompt tokens / 3600. Money is USD; one
/// planned hour costs <see cref="DeploymentConfiguration.UsdPerHour"/> per instance.
/// Every (model, region) pair is an endpoint held at ≥ <see cref="FloorPerEndpoint"/> instances.
/// </remarks>
public sealed record PlanningProblem
{
    /// <summary>Model names.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Region names.</summary>
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>Deployment configurations; every model needs at least one. Each is available in every region.</summary>
    public required IReadOnlyList<DeploymentConfiguration> Configurations { get; init; }

    /// <summary>Planned hours H (default 4, re-solved hourly).</summary>
    public int Hours { get; init; } = 4;

    /// <summary>Interactive forecast (upper quantile) per (model, home region, hour); missing entries are 0.</summary>
    public IReadOnlyList<EndpointLoad> InteractiveLoad { get; init; } = [];

    /// <summary>NIW work with deadlines.</summary>
    public IReadOnlyList<NiwBacklog> NiwBacklog { get; init; } = [];

    /// <summary>Instances deployed now; missing entries are 0.</summary>
    public IReadOnlyList<CurrentInstances> Current { get; init; } = [];

    /// <summary>GPU quotas per (region, SKU); pairs without one are unlimited.</summary>
    public IReadOnlyList<RegionQuota> Quotas { get; init; } = [];

    /// <summary>Allowed cross-region routes; serving at home is always allowed. Empty = no routing.</summary>
    public IReadOnlyList<RoutingLink> Routes { get; init; } = [];

    /// <summary>Minimum instances per (model, region) endpoint in every hour. Default 2.</summary>
    public int FloorPerEndpoint { get; init; } = 2;

    /// <summary>Optional cap on instances added plus removed per endpoint per hour (damping); null = none.</summary>
    public int? MaxChangesPerHour { get; init; }

    /// <summary>Penalty per instance added or removed, to prefer stable plans among equal-cost ones. Default 0.01 USD.</summary>
    public double ChangePenaltyUsd { get; init; } = 0.01;

    /// <summary>The plan solved one hour earlier, used (shifted one hour) as the fallback; null = hold the current instances.</summary>
    public Plan? Previous { get; init; }

    /// <summary>Name of the load unit, used in explanations. Default "prompt tok/s".</summary>
    public string LoadUnit { get; init; } = "prompt tok/s";
}
