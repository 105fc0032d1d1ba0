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

    /// <summary>
    /// Above this many integer variables (regions × configurations × hours) a problem with several models is solved
    /// by decomposition per model (see <see cref="IlpPlanner"/>); at or below it, as one MIP. Default 3000.
    /// </summary>
    public int DecomposeAboveIntegers { get; init; } = 3000;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time limit is not positive, the gap is negative or not finite,
    /// or the decomposition threshold is negative.</exception>
    public void Validate()
    {
        if (TimeLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), TimeLimit, "PlannerOptions.TimeLimit must be positive");
        }

        if (!(RelativeGap >= 0.0) || double.IsInfinity(RelativeGap))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeGap), RelativeGap, "PlannerOptions.RelativeGap must be a finite number >= 0");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(DecomposeAboveIntegers);
    }
}
