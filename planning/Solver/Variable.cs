namespace SageServe.Planning.Solver;

/// <summary>
/// A decision variable of one <see cref="MipModel"/>, created by its <c>Add*</c> methods.
/// Combine variables with the arithmetic operators into a <see cref="LinearExpression"/>.
/// </summary>
public sealed class Variable
{
    internal Variable(MipModel model, int index, string name, VariableKind kind, double lowerBound, double upperBound)
    {
        Model = model;
        Index = index;
        Name = name;
        Kind = kind;
        LowerBound = lowerBound;
        UpperBound = upperBound;
    }

    /// <summary>The name given at creation, or a generated one (<c>x17</c>).</summary>
    public string Name { get; }

    /// <summary>Continuous, integer or binary.</summary>
    public VariableKind Kind { get; }

    /// <summary>The lower bound; may be <see cref="double.NegativeInfinity"/>.</summary>
    public double LowerBound { get; }

    /// <summary>The upper bound; may be <see cref="double.PositiveInfinity"/>.</summary>
    public double UpperBound { get; }

    /// <summary>The position of the variable (column) in its model, from 0.</summary>
    public int Index { get; }

    /// <summary>True for integer and binary variables.</summary>
    public bool IsInteger => Kind != VariableKind.Continuous;

    internal MipModel Model { get; }

    /// <summary>The term <paramref name="coefficient"/> × <paramref name="variable"/>.</summary>
    public static LinearExpression operator *(Variable variable, double coefficient) => LinearExpression.Term(variable, coefficient);

    /// <summary>The term <paramref name="coefficient"/> × <paramref name="variable"/>.</summary>
    public static LinearExpression operator *(double coefficient, Variable variable) => LinearExpression.Term(variable, coefficient);

    /// <summary>The term −<paramref name="variable"/>.</summary>
    public static LinearExpression operator -(Variable variable) => LinearExpression.Term(variable, -1.0);

    /// <summary>The sum of two variables.</summary>
    public static LinearExpression operator +(Variable left, Variable right) => (LinearExpression)left + right;

    /// <summary>The difference of two variables.</summary>
    public static LinearExpression operator -(Variable left, Variable right) => (LinearExpression)left - right;

    /// <summary>A variable plus a constant.</summary>
    public static LinearExpression operator +(Variable left, double right) => (LinearExpression)left + right;

    /// <summary>A constant plus a variable.</summary>
    public static LinearExpression operator +(double left, Variable right) => left + (LinearExpression)right;

    /// <summary>A variable minus a constant.</summary>
    public static LinearExpression operator -(Variable left, double right) => (LinearExpression)left - right;

    /// <summary>A constant minus a variable.</summary>
    public static LinearExpression operator -(double left, Variable right) => left - (LinearExpression)right;

    /// <summary>The constraint <paramref name="left"/> ≤ <paramref name="right"/>.</summary>
    public static BoundedExpression operator <=(Variable left, double right) => (LinearExpression)left <= right;

    /// <summary>The constraint <paramref name="left"/> ≥ <paramref name="right"/>.</summary>
    public static BoundedExpression operator >=(Variable left, double right) => (LinearExpression)left >= right;

    /// <inheritdoc />
    public override string ToString() => Name;
}
