namespace SageServe.Planning.Planner;

/// <summary>How a <see cref="Plan"/> was obtained.</summary>
public enum PlanStatus
{
    /// <summary>Solved to optimality within the configured gap (or computed in closed form).</summary>
    Optimal = 0,

    /// <summary>The time limit was hit; the best incumbent found is used (see <see cref="Plan.Gap"/>).</summary>
    Feasible = 1,

    /// <summary>No solution: the previous plan (or the current instances) is kept; <see cref="Plan.Explanation"/> says why.</summary>
    Fallback = 2,
}
