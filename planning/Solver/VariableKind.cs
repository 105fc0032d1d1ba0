namespace SageServe.Planning.Solver;

/// <summary>The domain of a decision variable.</summary>
public enum VariableKind
{
    /// <summary>Any real value within the bounds.</summary>
    Continuous = 0,

    /// <summary>Any integer value within the bounds.</summary>
    Integer = 1,

    /// <summary>An integer in [0, 1].</summary>
    Binary = 2,
}
