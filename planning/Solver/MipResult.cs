namespace SageServe.Planning.Solver;

/// <summary>The result of solving a <see cref="MipModel"/>: status, objective, bound, and variable values.</summary>
public sealed class MipResult
{
    private readonly MipModel _model;
    private readonly double[]? _values;

    internal MipResult(MipModel model, MipStatus status, double[]? values, double objectiveValue, double bestBound, TimeSpan solveTime)
    {
        _model = model;
        _values = values;
        Status = status;
        ObjectiveValue = objectiveValue;
        BestBound = bestBound;
        SolveTime = solveTime;
        NumVariables = model.Variables.Count;
        NumConstraints = model.Constraints.Count;
        NumIntegers = model.IntegerCount;
        Gap = values is null || double.IsNaN(bestBound)
            ? double.NaN
            : Math.Max(0.0, Math.Abs(objectiveValue - bestBound) / Math.Max(Math.Abs(objectiveValue), 1e-10));
    }

    /// <summary>How the solve ended.</summary>
    public MipStatus Status { get; }

    /// <summary>True when values are available (<see cref="MipStatus.Optimal"/> or <see cref="MipStatus.Feasible"/>).</summary>
    public bool HasSolution => _values is not null;

    /// <summary>The objective of the returned solution (including the constant), or NaN without a solution.</summary>
    public double ObjectiveValue { get; }

    /// <summary>The best proven bound on the optimum (a lower bound when minimising, upper when maximising), or NaN if unknown.</summary>
    public double BestBound { get; }

    /// <summary>|<see cref="ObjectiveValue"/> − <see cref="BestBound"/>| / |<see cref="ObjectiveValue"/>|, or NaN if either is unknown.</summary>
    public double Gap { get; }

    /// <summary>Wall time of the solve, including loading the model into the solver.</summary>
    public TimeSpan SolveTime { get; }

    /// <summary>Number of variables (columns) in the model.</summary>
    public int NumVariables { get; }

    /// <summary>Number of constraints (rows) in the model.</summary>
    public int NumConstraints { get; }

    /// <summary>Number of integer and binary variables in the model.</summary>
    public int NumIntegers { get; }

    /// <summary>The value of <paramref name="variable"/>; integer variables are rounded to the nearest integer.</summary>
    /// <exception cref="InvalidOperationException">There is no solution (see <see cref="Status"/>).</exception>
    /// <exception cref="ArgumentException">The variable belongs to another model.</exception>
    public double this[Variable variable] => GetValue(variable);

    /// <summary>The value of <paramref name="variable"/>; integer variables are rounded to the nearest integer.</summary>
    /// <exception cref="InvalidOperationException">There is no solution (see <see cref="Status"/>).</exception>
    /// <exception cref="ArgumentException">The variable belongs to another model.</exception>
    public double GetValue(Variable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!ReferenceEquals(variable.Model, _model))
        {
            throw new ArgumentException($"variable '{variable.Name}' belongs to another MipModel than this result", nameof(variable));
        }

        if (_values is null)
        {
            throw new InvalidOperationException($"no solution values: the solve ended with status {Status}");
        }

        return _values[variable.Index];
    }

    /// <summary>The value of <paramref name="expression"/> at the solution.</summary>
    /// <exception cref="InvalidOperationException">There is no solution (see <see cref="Status"/>).</exception>
    public double Evaluate(LinearExpression expression) => _model.Evaluate(expression, GetValue);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Status} objective={ObjectiveValue} bound={BestBound} gap={Gap:P3} time={SolveTime.TotalMilliseconds:F1}ms " +
        $"({NumVariables} vars, {NumIntegers} int, {NumConstraints} rows)";
}
