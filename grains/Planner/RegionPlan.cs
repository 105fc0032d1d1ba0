using SageServe.Grains.Domain;

namespace SageServe.Grains.Planner;

/// <summary>The planner's decision for one region for the coming hour.</summary>
/// <param name="Hour">The hour it is for (hours since the epoch).</param>
/// <param name="Models">Per model.</param>
public sealed record RegionPlan(long Hour, IReadOnlyList<ModelTarget> Models);

/// <summary>The target for one model in one region.</summary>
/// <param name="Model">The model.</param>
/// <param name="Instances">Instances to have serving.</param>
/// <param name="ForecastPromptTokensPerMinute">The point forecast of interactive prompt tokens per minute, averaged over the hour.</param>
/// <param name="Reason">Why (for logs and <c>sageserve plan</c>).</param>
public sealed record ModelTarget(ModelId Model, int Instances, double ForecastPromptTokensPerMinute, string Reason)
{
    /// <summary>Shares of this region's interactive traffic for the model to serve in other regions (co-optimising plans).</summary>
    public IReadOnlyList<(RegionId To, double Fraction)> Spill { get; init; } = [];
}

/// <summary>Interactive prompt tokens per completed minute of one model in one region.</summary>
/// <param name="Model">The model.</param>
/// <param name="Minutes">(minute since the epoch, tokens), in order.</param>
/// <param name="ActiveInstances">Instances serving or starting now.</param>
public sealed record ModelTraffic(ModelId Model, IReadOnlyList<(long Minute, double Tokens)> Minutes, int ActiveInstances = 0);
