namespace SageServe.Planning.Planner;

/// <summary>Solver limits for <see cref="IlpPlanner"/>.</summary>
public sealed record PlannerOptions
{
    /// <summary>Defaults: 10 s, 1% gap.</summary>
    public static PlannerOptions Default { get; } = new();

    /// <summary>Wall-clock limit of the solve; the incumbent is used when it is hit. Default 10 s.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Relative optimality gap at which the search stops. Default 0.01.</summary>
    public double RelativeGap { get; init; } = 0.01;
}
