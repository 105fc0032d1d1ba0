namespace SageServe.Planning.Forecasting;

/// <summary>
/// Conditional-sum-of-squares estimation of ARMA coefficients on a centred (differenced) series, for
/// <see cref="ArimaModel"/>: Hannan–Rissanen start values, then Levenberg–Marquardt with analytic derivatives.
/// </summary>
internal static class ArimaEstimation
{
    private const int MaxIterations = 20;

    // A relative SSE change of 1e-6 moves the log-likelihood by n·5e-7: far below what AICc can distinguish.
    private const double RelativeTolerance = 1e-6;

    /// <summary>
    /// Hannan–Rissanen: a long AR regression estimates the shocks, then the ARMA coefficients come from regressing
    /// the series on its own lags and the lagged estimated shocks. Pure AR reduces to one OLS regression.
    /// </summary>
    public static double[] InitialEstimate(double[] w, int p, int q)
    {
        var parameters = new double[p + q];
        if (p + q == 0)
        {
            return parameters;
        }

        var m = w.Length;
        var shocks = new double[m];
        var longOrder = 0;
        if (q > 0)
        {
            longOrder = Math.Min(Math.Max(10, 2 * (p + q)), (m / 4) - 1);
            if (longOrder < 1)
            {
                return parameters;
            }

            var longAr = FitAutoregression(w, longOrder);
            if (longAr is null)
            {
                return parameters;
            }

            for (var t = longOrder; t < m; t++)
            {
                var v = w[t];
                for (var i = 0; i < longOrder; i++)
                {
                    v -= longAr[i] * w[t - 1 - i];
                }

                shocks[t] = v;
            }
        }

        var first = Math.Max(p, longOrder + q);
        if (m - first <= 2 * (p + q))
        {
            return parameters;
        }

        var equations = new NormalEquations(p + q);
        Span<double> row = stackalloc double[p + q];
        for (var t = first; t < m; t++)
        {
            for (var i = 0; i < p; i++)
            {
                row[i] = w[t - 1 - i];
            }

            for (var j = 0; j < q; j++)
            {
                row[p + j] = shocks[t - 1 - j];
            }

            equations.Add(row, w[t]);
        }

        return equations.Solve() ?? parameters;
    }

    private static double[]? FitAutoregression(double[] w, int order)
    {
        var equations = new NormalEquations(order);
        Span<double> row = stackalloc double[order];
        for (var t = order; t < w.Length; t++)
        {
            for (var i = 0; i < order; i++)
            {
                row[i] = w[t - 1 - i];
            }

            equations.Add(row, w[t]);
        }

        return equations.Solve();
    }

    /// <summary>Levenberg–Marquardt on the CSS objective; steps that leave the stationary/invertible region are rejected.</summary>
    public static void Refine(double[] w, int p, int q, int start, double[] parameters, double[] residuals)
    {
        var k = p + q;
        var derivatives = new double[w.Length * k];
        var sse = SumOfSquares(w, p, q, start, parameters, residuals, null, null);
        var lambda = 1e-3;
        var candidate = new double[k];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var equations = new NormalEquations(k);
            SumOfSquares(w, p, q, start, parameters, residuals, equations, derivatives);
            var improved = false;
            var previous = sse;
            for (var attempt = 0; attempt < 8 && !improved; attempt++)
            {
                var delta = equations.Solve(lambda);
                if (delta is not null)
                {
                    for (var i = 0; i < k; i++)
                    {
                        candidate[i] = parameters[i] + delta[i];
                    }

                    if (Polynomials.IsStable(candidate.AsSpan(0, p)) && Polynomials.IsInvertible(candidate.AsSpan(p, q)))
                    {
                        var candidateSse = SumOfSquares(w, p, q, start, candidate, residuals, null, null);
                        if (candidateSse < sse)
                        {
                            candidate.CopyTo(parameters, 0);
                            sse = candidateSse;
                            lambda = Math.Max(lambda * 0.1, 1e-9);
                            improved = true;
                            continue;
                        }
                    }
                }

                lambda *= 10.0;
            }

            if (!improved || previous - sse <= RelativeTolerance * previous)
            {
                break;
            }
        }
    }

    /// <summary>
    /// CSS residual recursion (shocks before <paramref name="start"/> taken as zero). When a Jacobian is requested the
    /// derivatives of every residual follow the same recursion and are accumulated as Gauss–Newton normal equations
    /// for the step δ that minimises Σ(eₜ + ∇eₜ·δ)².
    /// </summary>
    public static double SumOfSquares(
        double[] w, int p, int q, int start, double[] parameters, double[] residuals, NormalEquations? jacobian, double[]? derivatives)
    {
        var k = p + q;
        var sse = 0.0;
        Array.Clear(residuals);
        Span<double> row = stackalloc double[k];
        for (var t = start; t < w.Length; t++)
        {
            var e = w[t];
            for (var i = 0; i < p; i++)
            {
                e -= parameters[i] * w[t - 1 - i];
            }

            for (var j = 0; j < q && t - 1 - j >= start; j++)
            {
                e -= parameters[p + j] * residuals[t - 1 - j];
            }

            residuals[t] = e;
            sse += e * e;

            if (jacobian is not null && derivatives is not null)
            {
                for (var c = 0; c < k; c++)
                {
                    var v = c < p ? -w[t - 1 - c] : (t - 1 - (c - p) >= start ? -residuals[t - 1 - (c - p)] : 0.0);
                    for (var j = 0; j < q && t - 1 - j >= start; j++)
                    {
                        v -= parameters[p + j] * derivatives[((t - 1 - j) * k) + c];
                    }

                    derivatives[(t * k) + c] = v;
                    row[c] = v;
                }

                jacobian.Add(row, -e);
            }
        }

        return double.IsFinite(sse) ? sse : double.PositiveInfinity;
    }
}
