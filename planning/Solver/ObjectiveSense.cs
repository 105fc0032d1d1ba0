namespace SageServe.Planning.Solver;

/// <summary>Whether the objective is minimised or maximised.</summary>
public enum ObjectiveSense
{
    /// <summary>Find the smallest objective value (the default).</summary>
    Minimize = 0,

    /// <summary>Find the largest objective value.</summary>
    Maximize = 1,
}
