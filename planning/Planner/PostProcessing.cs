namespace SageServe.Planning.Planner;

/// <summary>
/// How a plan's per-hour instance targets are turned into what is applied (SPEC §3). Applied per
/// (model, region, configuration) by <see cref="PlanPostProcessor"/>.
/// </summary>
public enum PostProcessing
{
    /// <summary>Apply each hour's target in that hour (the reference behaviour).</summary>
    Immediate = 0,

    /// <summary>Apply each change one hour later: hour t gets the target of hour t − 1, hour 1 keeps the current count.
    /// Damps reaction to a forecast that may be revised next hour.</summary>
    DelayChanges = 1,

    /// <summary>Every hour gets the maximum target over the horizon: never scales in inside the horizon, pays for
    /// headroom to absorb forecast error.</summary>
    KeepMaximum = 2,

    /// <summary>Every hour gets the minimum target over the horizon (never below the floor the plan already respects):
    /// the cheapest choice, leaving peaks to the reactive layer.</summary>
    KeepMinimum = 3,
}
