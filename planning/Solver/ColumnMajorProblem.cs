namespace SageServe.Planning.Solver;

/// <summary>
/// A model in the compressed-sparse-column layout solvers load: column j's nonzeros are
/// <see cref="RowIndices"/>/<see cref="Values"/>[<see cref="ColumnStarts"/>[j] .. <see cref="ColumnStarts"/>[j + 1]).
/// The objective is for minimisation. Bounds may be infinite.
/// </summary>
internal sealed record ColumnMajorProblem(
    int[] ColumnStarts,
    int[] RowIndices,
    double[] Values,
    double[] ColumnLower,
    double[] ColumnUpper,
    double[] Objective,
    double[] RowLower,
    double[] RowUpper);
