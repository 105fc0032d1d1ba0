namespace SageServe.Planning.Solver;

/// <summary>A row of a <see cref="MipModel"/>: <see cref="LowerBound"/> ≤ Σ aⱼ·xⱼ ≤ <see cref="UpperBound"/>.</summary>
public sealed class Constraint
{
    internal Constraint(int index, string name, double lowerBound, double upperBound)
    {
        Index = index;
        Name = name;
        LowerBound = lowerBound;
        UpperBound = upperBound;
    }

    /// <summary>The name given when added, or a generated one (<c>c17</c>).</summary>
    public string Name { get; }

    /// <summary>The position of the row in its model, from 0.</summary>
    public int Index { get; }

    /// <summary>The lower bound after moving the expression's constant; may be −∞.</summary>
    public double LowerBound { get; }

    /// <summary>The upper bound after moving the expression's constant; may be +∞.</summary>
    public double UpperBound { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
