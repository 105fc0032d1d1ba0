namespace SageServe.Planning.Solver;

/// <summary>Limits and tolerances for one solve.</summary>
public sealed record MipSolveOptions
{
    /// <summary>Defaults: no time limit, relative gap 1e-4, no names passed to the solver.</summary>
    public static MipSolveOptions Default { get; } = new();

    /// <summary>
    /// Wall-clock limit for the search; <c>null</c> for none. Default: none. The solver checks it periodically,
    /// so a large model can overrun it; callers with a hard deadline should leave headroom.
    /// </summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// Stop when (incumbent − bound) / |incumbent| is at most this; 0 asks for a proven optimum. Default 1e-4.
    /// </summary>
    public double RelativeGap { get; init; } = 1e-4;

    /// <summary>Pass variable and constraint names to the solver (slower for big models; helps debugging). Default false.</summary>
    public bool PassNames { get; init; }

    /// <summary>Throws if an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time limit is not positive or the gap is negative or NaN.</exception>
    public void Validate()
    {
        if (TimeLimit is { } limit && limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), limit, "MipSolveOptions.TimeLimit must be positive (or null for none)");
        }

        if (!(RelativeGap >= 0.0) || double.IsInfinity(RelativeGap))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeGap), RelativeGap, "MipSolveOptions.RelativeGap must be a finite number >= 0");
        }
    }
}
