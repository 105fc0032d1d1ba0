namespace SageServe.Planning.Solver;

/// <summary>The outcome of a MIP solve.</summary>
public enum MipStatus
{
    /// <summary>A solution proven optimal within the requested relative gap.</summary>
    Optimal = 0,

    /// <summary>A feasible solution, but the search stopped (time limit, numerical trouble) before proving it optimal.</summary>
    Feasible = 1,

    /// <summary>The model has no feasible solution.</summary>
    Infeasible = 2,

    /// <summary>The objective can improve without bound (the LP relaxation is unbounded).</summary>
    Unbounded = 3,

    /// <summary>The time limit was reached before any feasible solution was found.</summary>
    TimedOutNoSolution = 4,

    /// <summary>The solver failed (numerical difficulties, abandoned search, or an unexpected state).</summary>
    Error = 5,
}
