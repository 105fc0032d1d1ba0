namespace SageServe.Planning.Solver;

/// <summary>
/// A mixed-integer linear program: variables with bounds, linear constraints, and a linear objective.
/// Solve it with an <see cref="IMipSolver"/> such as <see cref="CbcSolver"/>.
/// </summary>
/// <remarks>
/// Expressions are validated and flattened when a constraint or the objective is set, so errors point at the
/// offending constraint. Not thread safe: build a model from one thread.
/// </remarks>
public sealed class MipModel
{
    private readonly List<Variable> _variables = [];
    private readonly List<Constraint> _constraints = [];

    // Rows in compressed sparse row form; converted to the solver's column form once, at solve time.
    private readonly List<int> _rowStarts = [0];
    private readonly List<int> _rowColumns = [];
    private readonly List<double> _rowCoefficients = [];

    // Scratch for merging repeated variables while flattening; _stamp marks which slots the current pass wrote.
    private double[] _accumulator = [];
    private int[] _stampOf = [];
    private int _stamp;
    private readonly List<int> _touched = [];
    private readonly Stack<(LinearExpression Node, double Factor)> _pending = new();

    private int[] _objectiveColumns = [];
    private double[] _objectiveCoefficients = [];

    /// <summary>The variables in creation order.</summary>
    public IReadOnlyList<Variable> Variables => _variables;

    /// <summary>The constraints in the order they were added.</summary>
    public IReadOnlyList<Constraint> Constraints => _constraints;

    /// <summary>The number of integer and binary variables.</summary>
    public int IntegerCount { get; private set; }

    /// <summary>The number of nonzero coefficients over all constraints.</summary>
    public int NonZeroCount => _rowColumns.Count;

    /// <summary>Whether the objective is minimised (default) or maximised.</summary>
    public ObjectiveSense Sense { get; private set; } = ObjectiveSense.Minimize;

    /// <summary>The constant part of the objective, added to the solver's objective value.</summary>
    public double ObjectiveConstant { get; private set; }

    /// <summary>Adds a continuous variable with bounds [<paramref name="lowerBound"/>, <paramref name="upperBound"/>].</summary>
    /// <exception cref="ArgumentException">A bound is NaN, lower &gt; upper, or a bound is infinite on the wrong side.</exception>
    public Variable AddContinuous(double lowerBound = 0.0, double upperBound = double.PositiveInfinity, string? name = null) =>
        AddVariable(VariableKind.Continuous, lowerBound, upperBound, name);

    /// <summary>Adds an integer variable with bounds [<paramref name="lowerBound"/>, <paramref name="upperBound"/>].</summary>
    /// <exception cref="ArgumentException">A bound is NaN, lower &gt; upper, or a bound is infinite on the wrong side.</exception>
    public Variable AddInteger(double lowerBound = 0.0, double upperBound = double.PositiveInfinity, string? name = null) =>
        AddVariable(VariableKind.Integer, lowerBound, upperBound, name);

    /// <summary>Adds a 0-1 variable.</summary>
    public Variable AddBinary(string? name = null) => AddVariable(VariableKind.Binary, 0.0, 1.0, name);

    /// <summary>Adds a variable of any kind; binary variables must have bounds within [0, 1].</summary>
    /// <exception cref="ArgumentException">A bound is NaN, lower &gt; upper, or a bound is infinite on the wrong side.</exception>
    public Variable AddVariable(VariableKind kind, double lowerBound, double upperBound, string? name = null)
    {
        var index = _variables.Count;
        var label = name ?? $"x{index}";
        if (double.IsNaN(lowerBound) || double.IsNaN(upperBound) || lowerBound > upperBound
            || double.IsPositiveInfinity(lowerBound) || double.IsNegativeInfinity(upperBound))
        {
            throw new ArgumentException(
                $"variable '{label}': invalid bounds [{lowerBound}, {upperBound}] (need lower <= upper, no NaN, lower < +inf, upper > -inf)");
        }

        if (kind == VariableKind.Binary && (lowerBound < 0.0 || upperBound > 1.0))
        {
            throw new ArgumentException($"variable '{label}': binary bounds must lie within [0, 1], got [{lowerBound}, {upperBound}]");
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"variable '{label}': unknown kind");
        }

        var variable = new Variable(this, index, label, kind, lowerBound, upperBound);
        _variables.Add(variable);
        if (variable.IsInteger)
        {
            IntegerCount++;
        }

        return variable;
    }

    /// <summary>Adds <c>constraint.Lower ≤ constraint.Expression ≤ constraint.Upper</c>, e.g. <c>AddConstraint(x + y &lt;= 3)</c>.</summary>
    /// <exception cref="ArgumentException">A coefficient or bound is NaN, a coefficient is infinite, lower &gt; upper,
    /// or a variable belongs to another model.</exception>
    public Constraint AddConstraint(BoundedExpression constraint, string? name = null) =>
        AddRange(constraint.Lower, constraint.Expression, constraint.Upper, name);

    /// <summary>Adds <paramref name="expression"/> = <paramref name="rightHandSide"/>.</summary>
    /// <exception cref="ArgumentException">See <see cref="AddRange"/>.</exception>
    public Constraint AddEquality(LinearExpression expression, double rightHandSide, string? name = null) =>
        AddRange(rightHandSide, expression, rightHandSide, name);

    /// <summary>Adds <paramref name="lower"/> ≤ <paramref name="expression"/> ≤ <paramref name="upper"/>;
    /// either bound may be infinite.</summary>
    /// <exception cref="ArgumentException">A coefficient or bound is NaN, a coefficient is infinite, lower &gt; upper,
    /// or a variable belongs to another model.</exception>
    public Constraint AddRange(double lower, LinearExpression expression, double upper, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var index = _constraints.Count;
        var label = name ?? $"c{index}";
        if (double.IsNaN(lower) || double.IsNaN(upper) || lower > upper)
        {
            throw new ArgumentException($"constraint '{label}': invalid bounds [{lower}, {upper}] (need lower <= upper, no NaN)");
        }

        var constant = Flatten(expression, $"constraint '{label}'", _rowColumns, _rowCoefficients);
        _rowStarts.Add(_rowColumns.Count);
        var constraint = new Constraint(index, label, lower - constant, upper - constant);
        _constraints.Add(constraint);
        return constraint;
    }

    /// <summary>Sets the objective to minimise <paramref name="objective"/>, replacing any previous one.</summary>
    /// <exception cref="ArgumentException">A coefficient is NaN or infinite, or a variable belongs to another model.</exception>
    public void Minimize(LinearExpression objective) => SetObjective(objective, ObjectiveSense.Minimize);

    /// <summary>Sets the objective to maximise <paramref name="objective"/>, replacing any previous one.</summary>
    /// <exception cref="ArgumentException">A coefficient is NaN or infinite, or a variable belongs to another model.</exception>
    public void Maximize(LinearExpression objective) => SetObjective(objective, ObjectiveSense.Maximize);

    /// <summary>Sets the objective and its direction, replacing any previous one.</summary>
    /// <exception cref="ArgumentException">A coefficient is NaN or infinite, or a variable belongs to another model.</exception>
    public void SetObjective(LinearExpression objective, ObjectiveSense sense)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var columns = new List<int>();
        var coefficients = new List<double>();
        var constant = Flatten(objective, "objective", columns, coefficients);
        _objectiveColumns = [.. columns];
        _objectiveCoefficients = [.. coefficients];
        ObjectiveConstant = constant;
        Sense = sense;
    }

    /// <summary>Evaluates <paramref name="expression"/> with the variable values given by <paramref name="valueOf"/>.</summary>
    /// <exception cref="ArgumentException">The expression is invalid for this model.</exception>
    public double Evaluate(LinearExpression expression, Func<Variable, double> valueOf)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(valueOf);
        var columns = new List<int>();
        var coefficients = new List<double>();
        var total = Flatten(expression, "expression", columns, coefficients);
        for (var k = 0; k < columns.Count; k++)
        {
            total += coefficients[k] * valueOf(_variables[columns[k]]);
        }

        return total;
    }

    /// <summary>Builds the column-major (CSC) form a solver loads; the objective is always for minimisation.</summary>
    internal ColumnMajorProblem ToColumnMajor()
    {
        var numColumns = _variables.Count;
        var numRows = _constraints.Count;
        var nonZeros = _rowColumns.Count;
        var columnStarts = new int[numColumns + 1];
        foreach (var column in _rowColumns)
        {
            columnStarts[column + 1]++;
        }

        for (var j = 0; j < numColumns; j++)
        {
            columnStarts[j + 1] += columnStarts[j];
        }

        var next = (int[])columnStarts.Clone();
        var rowIndices = new int[nonZeros];
        var values = new double[nonZeros];
        for (var row = 0; row < numRows; row++)
        {
            for (var k = _rowStarts[row]; k < _rowStarts[row + 1]; k++)
            {
                var slot = next[_rowColumns[k]]++;
                rowIndices[slot] = row;
                values[slot] = _rowCoefficients[k];
            }
        }

        var colLower = new double[numColumns];
        var colUpper = new double[numColumns];
        for (var j = 0; j < numColumns; j++)
        {
            colLower[j] = _variables[j].LowerBound;
            colUpper[j] = _variables[j].UpperBound;
        }

        var rowLower = new double[numRows];
        var rowUpper = new double[numRows];
        for (var i = 0; i < numRows; i++)
        {
            rowLower[i] = _constraints[i].LowerBound;
            rowUpper[i] = _constraints[i].UpperBound;
        }

        var objective = new double[numColumns];
        var sign = Sense == ObjectiveSense.Maximize ? -1.0 : 1.0;
        for (var k = 0; k < _objectiveColumns.Length; k++)
        {
            objective[_objectiveColumns[k]] = sign * _objectiveCoefficients[k];
        }

        return new ColumnMajorProblem(columnStarts, rowIndices, values, colLower, colUpper, objective, rowLower, rowUpper);
    }

    /// <summary>The objective (in the model's own sense) of a full assignment of values.</summary>
    internal double ObjectiveOf(double[] values)
    {
        var total = ObjectiveConstant;
        for (var k = 0; k < _objectiveColumns.Length; k++)
        {
            total += _objectiveCoefficients[k] * values[_objectiveColumns[k]];
        }

        return total;
    }

    /// <summary>
    /// Appends the merged, nonzero terms of <paramref name="expression"/> to the lists and returns its constant.
    /// Iterative, so a left-deep chain of 100k additions does not overflow the stack.
    /// </summary>
    private double Flatten(LinearExpression expression, string context, List<int> columns, List<double> coefficients)
    {
        EnsureScratchCapacity();
        _stamp++;
        _touched.Clear();
        _pending.Clear();
        var constant = 0.0;
        _pending.Push((expression, 1.0));
        while (_pending.Count > 0)
        {
            var (node, factor) = _pending.Pop();
            constant += factor * node.Constant;
            var scaled = factor * node.Scale;
            if (node.TermVariable is { } single)
            {
                Accumulate(single, scaled, context);
            }

            if (node.Variables is { } variables)
            {
                var nodeCoefficients = node.Coefficients!;
                for (var k = 0; k < variables.Length; k++)
                {
                    Accumulate(variables[k], scaled * nodeCoefficients[k], context);
                }
            }

            foreach (var child in node.Children)
            {
                _pending.Push((child, scaled));
            }
        }

        if (!double.IsFinite(constant))
        {
            throw new ArgumentException($"{context}: the constant term is {constant}");
        }

        // Validate everything before appending so a rejected constraint leaves the row lists untouched.
        foreach (var column in _touched)
        {
            var coefficient = _accumulator[column];
            if (!double.IsFinite(coefficient))
            {
                throw new ArgumentException($"{context}: the coefficient of variable '{_variables[column].Name}' is {coefficient}");
            }
        }

        foreach (var column in _touched)
        {
            var coefficient = _accumulator[column];
            if (coefficient != 0.0)
            {
                columns.Add(column);
                coefficients.Add(coefficient);
            }
        }

        return constant;
    }

    private void Accumulate(Variable variable, double coefficient, string context)
    {
        if (!ReferenceEquals(variable.Model, this))
        {
            throw new ArgumentException($"{context}: variable '{variable.Name}' belongs to another MipModel");
        }

        var column = variable.Index;
        if (_stampOf[column] != _stamp)
        {
            _stampOf[column] = _stamp;
            _accumulator[column] = coefficient;
            _touched.Add(column);
        }
        else
        {
            _accumulator[column] += coefficient;
        }
    }

    private void EnsureScratchCapacity()
    {
        if (_accumulator.Length < _variables.Count)
        {
            var size = Math.Max(_variables.Count, _accumulator.Length * 2);
            Array.Resize(ref _accumulator, size);
            Array.Resize(ref _stampOf, size);
        }
    }
}
