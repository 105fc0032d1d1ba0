namespace SageServe.Planning.Forecasting;

/// <summary>
/// Accumulates XᵀX and Xᵀy row by row and solves the (optionally damped) normal equations by Cholesky.
/// The systems here have at most a dozen unknowns, so forming XᵀX is cheaper than QR and accurate enough.
/// </summary>
internal sealed class NormalEquations
{
    private readonly double[] _xtx;
    private readonly double[] _xty;

    public NormalEquations(int unknowns)
    {
        Unknowns = unknowns;
        _xtx = new double[unknowns * unknowns];
        _xty = new double[unknowns];
    }

    public int Unknowns { get; }

    public int Rows { get; private set; }

    public void Add(ReadOnlySpan<double> row, double y)
    {
        var k = Unknowns;
        for (var i = 0; i < k; i++)
        {
            var ri = row[i];
            if (ri == 0.0)
            {
                continue;
            }

            _xty[i] += ri * y;
            var offset = i * k;
            for (var j = i; j < k; j++)
            {
                _xtx[offset + j] += ri * row[j];
            }
        }

        Rows++;
    }

    /// <summary>
    /// Solves (XᵀX + λ·diag(XᵀX) + ε·I) β = Xᵀy. Returns null when the system is singular even after damping.
    /// </summary>
    public double[]? Solve(double marquardtLambda = 0.0)
    {
        var k = Unknowns;
        var a = new double[k * k];
        var scale = 0.0;
        for (var i = 0; i < k; i++)
        {
            scale = Math.Max(scale, _xtx[(i * k) + i]);
        }

        // A tiny ridge keeps collinear regressors (e.g. a constant series' lags) from breaking Cholesky.
        var ridge = 1e-10 * Math.Max(scale, 1e-300);
        for (var i = 0; i < k; i++)
        {
            for (var j = i; j < k; j++)
            {
                var v = _xtx[(i * k) + j];
                a[(i * k) + j] = v;
                a[(j * k) + i] = v;
            }

            a[(i * k) + i] += (marquardtLambda * _xtx[(i * k) + i]) + ridge;
        }

        return CholeskySolve(a, _xty, k);
    }

    private static double[]? CholeskySolve(double[] a, double[] b, int k)
    {
        var l = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[(i * k) + j];
                for (var m = 0; m < j; m++)
                {
                    sum -= l[(i * k) + m] * l[(j * k) + m];
                }

                if (i == j)
                {
                    if (!(sum > 0.0))
                    {
                        return null;
                    }

                    l[(i * k) + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[(i * k) + j] = sum / l[(j * k) + j];
                }
            }
        }

        var y = new double[k];
        for (var i = 0; i < k; i++)
        {
            var sum = b[i];
            for (var m = 0; m < i; m++)
            {
                sum -= l[(i * k) + m] * y[m];
            }

            y[i] = sum / l[(i * k) + i];
        }

        var x = new double[k];
        for (var i = k - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var m = i + 1; m < k; m++)
            {
                sum -= l[(m * k) + i] * x[m];
            }

            x[i] = sum / l[(i * k) + i];
        }

        foreach (var v in x)
        {
            if (!double.IsFinite(v))
            {
                return null;
            }
        }

        return x;
    }
}
