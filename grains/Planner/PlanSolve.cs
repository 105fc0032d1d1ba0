using SageServe.Planning.Planner;
using SageServe.Planning.Solver;

namespace SageServe.Grains.Planner;

/// <summary>How one plan was made: when, by which formulation, and what the solver reported (for operators and metrics).</summary>
/// <param name="Sequence">The plan's index (0 for the first plan this planner made).</param>
/// <param name="MadeAt">When the planner woke for it (the runtime's clock).</param>
/// <param name="Mode">Reference planner or the co-optimising ILP.</param>
/// <param name="Status">Optimal, feasible (time limit hit with an incumbent) or fallback.</param>
/// <param name="SolverStatus">The MIP solver's status; null when no solver ran (reference formulation, solver unavailable).</param>
/// <param name="SolveTime">Model building plus solving (elapsed time, not the runtime's clock).</param>
/// <param name="ObjectiveUsd">Objective over the horizon; NaN for a fallback.</param>
/// <param name="Gap">Relative gap; NaN for a fallback.</param>
/// <param name="Variables">Columns of the MIP (0 when none was built).</param>
/// <param name="Constraints">Rows of the MIP.</param>
/// <param name="Explanation">The planner's one-paragraph summary (for a fallback, why).</param>
public sealed record PlanSolve(
    int Sequence,
    DateTimeOffset MadeAt,
    PlanningMode Mode,
    PlanStatus Status,
    MipStatus? SolverStatus,
    TimeSpan SolveTime,
    double ObjectiveUsd,
    double Gap,
    int Variables,
    int Constraints,
    string Explanation);
