namespace SageServe.Planning.Solver;

/// <summary>
/// A constraint not yet added to a model: <see cref="Lower"/> ≤ <see cref="Expression"/> ≤ <see cref="Upper"/>.
/// Built by the comparison operators (<c>x + y &lt;= 3</c>) and passed to <see cref="MipModel.AddConstraint(BoundedExpression, string?)"/>.
/// </summary>
/// <param name="Expression">The constrained expression; its constant part is moved to the bounds when added.</param>
/// <param name="Lower">The lower bound, or <see cref="double.NegativeInfinity"/>.</param>
/// <param name="Upper">The upper bound, or <see cref="double.PositiveInfinity"/>.</param>
public readonly record struct BoundedExpression(LinearExpression Expression, double Lower, double Upper);
