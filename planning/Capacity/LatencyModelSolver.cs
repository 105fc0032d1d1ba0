namespace SageServe.Planning.Capacity;

/// <summary>
/// Small non-negative weighted least-squares solver used to fit <see cref="LatencyModel"/> coefficients.
/// </summary>
/// <remarks>
/// With at most a handful of unknowns, the exact non-negative solution is found by trying every subset of
/// "free" coefficients (the rest pinned at zero), solving the normal equations of each subset by Gaussian
/// elimination, and keeping the feasible subset with the smallest weighted residual. That is 2^n tiny solves,
/// which for n = 3 is cheaper and simpler to verify than an iterative active-set method.
/// </remarks>
public static class LatencyModelSolver
{
    /// <summary>Largest number of unknowns accepted; the subset enumeration is exponential in it.</summary>
    public const int MaxUnknowns = 8;

    /// <summary>
    /// Minimises Σ wᵢ (Σⱼ xᵢⱼ βⱼ − yᵢ)² subject to β ≥ 0.
    /// </summary>
    /// <param name="rows">Design matrix rows (one per sample, each of length n).</param>
    /// <param name="targets">Observed values, one per row.</param>
    /// <param name="weights">Non-negative sample weights, one per row.</param>
    /// <returns>The n non-negative coefficients.</returns>
    public static double[] SolveNonNegative(IReadOnlyList<double[]> rows, IReadOnlyList<double> targets, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one sample is required.", nameof(rows));
        }

        if (targets.Count != rows.Count || weights.Count != rows.Count)
        {
            throw new ArgumentException("rows, targets and weights must have the same length.", nameof(targets));
        }

        int n = rows[0].Length;
        if (n is < 1 or > MaxUnknowns)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), n, $"Between 1 and {MaxUnknowns} unknowns are supported.");
        }

        // Columns differ by orders of magnitude (1, p, p²); scaling each to unit weighted norm keeps the
        // normal equations well conditioned. Positive scales preserve the sign constraint.
        var scale = new double[n];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int a = 0; a < rows[i].Length && a < n; a++)
            {
                scale[a] += weights[i] * rows[i][a] * rows[i][a];
            }
        }

        for (int a = 0; a < n; a++)
        {
            scale[a] = scale[a] > 0 ? Math.Sqrt(scale[a]) : 1;
        }

        // Normal equations once for the full set; each subset is a sub-matrix of them.
        var ata = new double[n, n];
        var aty = new double[n];
        double yty = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            double[] x = rows[i];
            if (x.Length != n)
            {
                throw new ArgumentException($"Row {i} has {x.Length} columns, expected {n}.", nameof(rows));
            }

            double w = weights[i];
            double y = targets[i];
            for (int a = 0; a < n; a++)
            {
                aty[a] += w * (x[a] / scale[a]) * y;
                for (int b = 0; b < n; b++)
                {
                    ata[a, b] += w * (x[a] / scale[a]) * (x[b] / scale[b]);
                }
            }

            yty += w * y * y;
        }

        double[] best = new double[n];
        double bestResidual = yty; // the all-zero solution
        for (int mask = 1; mask < (1 << n); mask++)
        {
            double[]? beta = SolveSubset(ata, aty, n, mask);
            if (beta is null || beta.Any(b => b < 0 || double.IsNaN(b)))
            {
                continue;
            }

            // Residual = yᵀWy − 2βᵀAᵀWy + βᵀAᵀWAβ, evaluated on the normal equations.
            double residual = yty;
            for (int a = 0; a < n; a++)
            {
                residual -= 2 * beta[a] * aty[a];
                for (int b = 0; b < n; b++)
                {
                    residual += beta[a] * ata[a, b] * beta[b];
                }
            }

            if (residual < bestResidual - (1e-12 * Math.Abs(bestResidual)))
            {
                bestResidual = residual;
                best = beta;
            }
        }

        for (int a = 0; a < n; a++)
        {
            best[a] /= scale[a];
        }

        return best;
    }

    private static double[]? SolveSubset(double[,] ata, double[] aty, int n, int mask)
    {
        var index = new List<int>(n);
        for (int j = 0; j < n; j++)
        {
            if ((mask & (1 << j)) != 0)
            {
                index.Add(j);
            }
        }

        int k = index.Count;
        var m = new double[k, k + 1];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < k; c++)
            {
                m[r, c] = ata[index[r], index[c]];
            }

            m[r, k] = aty[index[r]];
        }

        // Gaussian elimination with partial pivoting; columns are scaled very differently (1 vs p²),
        // so a relative singularity test is used.
        for (int col = 0; col < k; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < k; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(m[pivot, col]) <= 1e-300 || Math.Abs(m[pivot, col]) < 1e-14 * Math.Abs(ata[index[col], index[col]]))
            {
                return null;
            }

            if (pivot != col)
            {
                for (int c = 0; c <= k; c++)
                {
                    (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                }
            }

            for (int r = 0; r < k; r++)
            {
                if (r == col)
                {
                    continue;
                }

                double f = m[r, col] / m[col, col];
                for (int c = col; c <= k; c++)
                {
                    m[r, c] -= f * m[col, c];
                }
            }
        }

        var beta = new double[n];
        for (int r = 0; r < k; r++)
        {
            beta[index[r]] = m[r, k] / m[r, r];
        }

        return beta;
    }
}
