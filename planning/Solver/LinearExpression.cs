namespace SageServe.Planning.Solver;

/// <summary>
/// An immutable linear expression Σ cᵢ·xᵢ + constant over the variables of one <see cref="MipModel"/>.
/// </summary>
/// <remarks>
/// Combining expressions is O(1): the operators build a small tree that the model flattens once, in time
/// linear in the number of terms, when the expression is used in a constraint or objective. So accumulating
/// <c>e = e + x[i] * c[i]</c> over 100k terms stays linear. For large sums prefer
/// <see cref="Sum(IEnumerable{LinearExpression})"/> or <see cref="WeightedSum"/>, which allocate less.
/// Repeated variables are merged when flattened; coefficients are validated then (NaN or infinite is an error).
/// </remarks>
public sealed class LinearExpression
{
    private static readonly LinearExpression[] s_noChildren = [];

    private LinearExpression(double constant, double scale, Variable? variable, Variable[]? variables, double[]? coefficients, LinearExpression[] children)
    {
        Constant = constant;
        Scale = scale;
        TermVariable = variable;
        Variables = variables;
        Coefficients = coefficients;
        Children = children;
    }

    /// <summary>The expression 0.</summary>
    public static LinearExpression Zero { get; } = FromConstant(0.0);

    // The node's value is Constant + Scale × (TermVariable + Σ Coefficients[k]·Variables[k] + Σ Children).
    internal double Constant { get; }

    internal double Scale { get; }

    internal Variable? TermVariable { get; }

    internal Variable[]? Variables { get; }

    internal double[]? Coefficients { get; }

    internal LinearExpression[] Children { get; }

    /// <summary>The constant expression <paramref name="value"/>.</summary>
    public static LinearExpression FromConstant(double value) => new(value, 1.0, null, null, null, s_noChildren);

    /// <summary>The single term <paramref name="coefficient"/> × <paramref name="variable"/>.</summary>
    public static LinearExpression Term(Variable variable, double coefficient)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return new LinearExpression(0.0, coefficient, variable, null, null, s_noChildren);
    }

    /// <summary>The sum of <paramref name="expressions"/> (0 when empty).</summary>
    public static LinearExpression Sum(IEnumerable<LinearExpression> expressions)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        var children = expressions.ToArray();
        foreach (var child in children)
        {
            ArgumentNullException.ThrowIfNull(child, nameof(expressions));
        }

        return new LinearExpression(0.0, 1.0, null, null, null, children);
    }

    /// <summary>The sum of <paramref name="variables"/>, each with coefficient 1 (0 when empty).</summary>
    public static LinearExpression Sum(IEnumerable<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var vars = variables.ToArray();
        var ones = new double[vars.Length];
        Array.Fill(ones, 1.0);
        return WeightedSum(vars, ones);
    }

    /// <summary>Σ <paramref name="coefficients"/>[k] × <paramref name="variables"/>[k]; the lists are copied.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or contain null.</exception>
    public static LinearExpression WeightedSum(IReadOnlyList<Variable> variables, IReadOnlyList<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (variables.Count != coefficients.Count)
        {
            throw new ArgumentException(
                $"WeightedSum needs one coefficient per variable: got {variables.Count} variables and {coefficients.Count} coefficients",
                nameof(coefficients));
        }

        var vars = new Variable[variables.Count];
        var coefs = new double[coefficients.Count];
        for (var k = 0; k < vars.Length; k++)
        {
            vars[k] = variables[k] ?? throw new ArgumentException($"variable {k} is null", nameof(variables));
            coefs[k] = coefficients[k];
        }

        return new LinearExpression(0.0, 1.0, null, vars, coefs, s_noChildren);
    }

    /// <summary>A variable as an expression with coefficient 1.</summary>
    public static implicit operator LinearExpression(Variable variable) => Term(variable, 1.0);

    /// <summary>A constant as an expression.</summary>
    public static implicit operator LinearExpression(double value) => FromConstant(value);

    /// <summary>The sum of two expressions.</summary>
    public static LinearExpression operator +(LinearExpression left, LinearExpression right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new LinearExpression(0.0, 1.0, null, null, null, [left, right]);
    }

    /// <summary>An expression plus a constant.</summary>
    public static LinearExpression operator +(LinearExpression left, double right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return new LinearExpression(right, 1.0, null, null, null, [left]);
    }

    /// <summary>A constant plus an expression.</summary>
    public static LinearExpression operator +(double left, LinearExpression right) => right + left;

    /// <summary>The difference of two expressions.</summary>
    public static LinearExpression operator -(LinearExpression left, LinearExpression right) => left + (-right);

    /// <summary>An expression minus a constant.</summary>
    public static LinearExpression operator -(LinearExpression left, double right) => left + (-right);

    /// <summary>A constant minus an expression.</summary>
    public static LinearExpression operator -(double left, LinearExpression right) => (-right) + left;

    /// <summary>The negated expression.</summary>
    public static LinearExpression operator -(LinearExpression expression) => expression * -1.0;

    /// <summary>The expression scaled by <paramref name="factor"/>.</summary>
    public static LinearExpression operator *(LinearExpression expression, double factor)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new LinearExpression(0.0, factor, null, null, null, [expression]);
    }

    /// <summary>The expression scaled by <paramref name="factor"/>.</summary>
    public static LinearExpression operator *(double factor, LinearExpression expression) => expression * factor;

    /// <summary>The expression divided by <paramref name="divisor"/>.</summary>
    public static LinearExpression operator /(LinearExpression expression, double divisor) => expression * (1.0 / divisor);

    /// <summary>The constraint <paramref name="left"/> ≤ <paramref name="right"/>.</summary>
    public static BoundedExpression operator <=(LinearExpression left, double right) => new(left, double.NegativeInfinity, right);

    /// <summary>The constraint <paramref name="left"/> ≥ <paramref name="right"/>.</summary>
    public static BoundedExpression operator >=(LinearExpression left, double right) => new(left, right, double.PositiveInfinity);

    /// <summary>The constraint <paramref name="left"/> ≤ <paramref name="right"/>.</summary>
    public static BoundedExpression operator <=(double left, LinearExpression right) => right >= left;

    /// <summary>The constraint <paramref name="left"/> ≥ <paramref name="right"/>.</summary>
    public static BoundedExpression operator >=(double left, LinearExpression right) => right <= left;

    /// <summary>The constraint <paramref name="left"/> − <paramref name="right"/> ≤ 0.</summary>
    public static BoundedExpression operator <=(LinearExpression left, LinearExpression right) => (left - right) <= 0.0;

    /// <summary>The constraint <paramref name="left"/> − <paramref name="right"/> ≥ 0.</summary>
    public static BoundedExpression operator >=(LinearExpression left, LinearExpression right) => (left - right) >= 0.0;
}
