namespace SageServe.Grains.Planner;

/// <summary>The planner's durable state: bounded per-minute history per "region/model" series.</summary>
public sealed class PlannerState
{
    /// <summary>Per-minute interactive prompt tokens, oldest first, at most <see cref="PlannerOptions.HistoryMinutes"/> each.</summary>
    public Dictionary<string, List<double>> History { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The next minute (since the epoch) each series expects from its region.</summary>
    public Dictionary<string, long> NextMinute { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Plans made so far.</summary>
    public int Plans { get; set; }
}
