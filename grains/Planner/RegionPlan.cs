using SageServe.Grains.Domain;

namespace SageServe.Grains.Planner;

/// <summary>The planner's decision for one region for the coming hour.</summary>
/// <param name="Hour">The hour it is for (hours since the epoch).</param>
/// <param name="Models">Per model.</param>
public sealed record RegionPlan(long Hour, IReadOnlyList<ModelTarget> Models)
{
    /// <summary>The region it is for (default when made by hand).</summary>
    public RegionId Region { get; init; }

    /// <summary>How the plan was made (the same for every region of one plan); null when made by hand.</summary>
    public PlanSolve? Solve { get; init; }
}

/// <summary>The target for one model in one region.</summary>
/// <param name="Model">The model.</param>
/// <param name="Instances">Instances to have serving.</param>
/// <param name="ForecastPromptTokensPerMinute">The point forecast of interactive prompt tokens per minute, averaged over the hour.</param>
/// <param name="Reason">Why (for logs and <c>sageserve plan</c>).</param>
public sealed record ModelTarget(ModelId Model, int Instances, double ForecastPromptTokensPerMinute, string Reason)
{
    /// <summary>Shares of this region's interactive traffic for the model to serve in other regions (co-optimising plans).</summary>
    public IReadOnlyList<(RegionId To, double Fraction)> Spill { get; init; } = [];

    /// <summary>
    /// The upper quantile of the next hour's peak minute of interactive prompt tokens the target is sized for; null
    /// when the series had no history to forecast from.
    /// </summary>
    public double? ForecastPeakPromptTokensPerMinute { get; init; }
}

/// <summary>Interactive prompt tokens per completed minute of one model in one region.</summary>
/// <param name="Model">The model.</param>
/// <param name="Minutes">(minute since the epoch, tokens), in order.</param>
/// <param name="ActiveInstances">Instances serving or starting now.</param>
public sealed record ModelTraffic(ModelId Model, IReadOnlyList<(long Minute, double Tokens)> Minutes, int ActiveInstances = 0);
