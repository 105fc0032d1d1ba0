namespace SageServe.Planning.Forecasting;

/// <summary>
/// An ARIMA(p, d, q) model fitted by conditional sum of squares (CSS): Hannan–Rissanen regression for the start
/// values, then Levenberg–Marquardt (damped Gauss–Newton) with analytic residual derivatives, keeping the AR part
/// stationary and the MA part invertible. The model remembers the tail of its series so it can forecast it.
/// </summary>
/// <remarks>
/// Convention: with wₜ the d-times differenced series and μ its mean (fitted only when requested),
/// wₜ − μ = Σ φᵢ (wₜ₋ᵢ − μ) + eₜ + Σ θⱼ eₜ₋ⱼ.
/// </remarks>
public sealed class ArimaModel
{
    private readonly double[] _ar;
    private readonly double[] _ma;
    private readonly double[][] _levels;
    private readonly double[] _centred;
    private readonly double[] _residuals;
    private readonly int _firstResidualIndex;

    private ArimaModel(
        ArimaOrder order, double[] ar, double[] ma, double mean, double sigma2, double aicc, int residualCount,
        double[][] levels, double[] centred, double[] residuals, int firstResidualIndex)
    {
        Order = order;
        _ar = ar;
        _ma = ma;
        Mean = mean;
        Sigma2 = sigma2;
        Aicc = aicc;
        ResidualCount = residualCount;
        _levels = levels;
        _centred = centred;
        _residuals = residuals;
        _firstResidualIndex = firstResidualIndex;
    }

    /// <summary>The fitted order.</summary>
    public ArimaOrder Order { get; }

    /// <summary>AR coefficients φ₁..φₚ.</summary>
    public IReadOnlyList<double> ArCoefficients => _ar;

    /// <summary>MA coefficients θ₁..θ_q.</summary>
    public IReadOnlyList<double> MaCoefficients => _ma;

    /// <summary>Mean of the differenced series (the drift when d = 1); 0 when no mean was fitted.</summary>
    public double Mean { get; }

    /// <summary>Innovation variance estimate: CSS sum of squares divided by <see cref="ResidualCount"/>.</summary>
    public double Sigma2 { get; }

    /// <summary>Corrected Akaike information criterion of the CSS fit (comparable across p, q for the same d and data).</summary>
    public double Aicc { get; }

    /// <summary>Number of residuals in the sum of squares.</summary>
    public int ResidualCount { get; }

    /// <summary>Fits an ARIMA model to <paramref name="series"/>.</summary>
    /// <param name="series">Finite values, oldest first; needs more than d + p + q + 2 values.</param>
    /// <param name="order">The (p, d, q) order.</param>
    /// <param name="firstResidualIndex">Index in the differenced series where the sum of squares starts; must be ≥ p.
    /// Defaults to p. Give every candidate the same value when comparing AICc across orders.</param>
    /// <param name="includeMean">Fit a mean of the differenced series; defaults to true only when d = 0 (a drift
    /// estimated from minute data is too noisy to extrapolate an hour ahead).</param>
    /// <exception cref="ArgumentException">Series too short for the order, or <paramref name="firstResidualIndex"/> &lt; p.</exception>
    public static ArimaModel Fit(ReadOnlySpan<double> series, ArimaOrder order, int? firstResidualIndex = null, bool? includeMean = null)
    {
        order.Validate();
        var (p, d, q) = (order.P, order.D, order.Q);
        var start = firstResidualIndex ?? p;
        if (start < p)
        {
            throw new ArgumentException($"firstResidualIndex ({start}) must be at least p ({p}).", nameof(firstResidualIndex));
        }

        var m = series.Length - d;
        if (m - start < p + q + 2)
        {
            throw new ArgumentException(
                $"Series of length {series.Length} is too short to fit ARIMA{order} (needs more than {d + start + p + q + 2} values).",
                nameof(series));
        }

        var (w, levels) = Difference(series, d);
        var withMean = includeMean ?? (d == 0);
        var mean = withMean ? Stats.Mean(w) : 0.0;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= mean;
        }

        var parameters = ArimaEstimation.InitialEstimate(w, p, q);
        Polynomials.ShrinkUntilStable(parameters.AsSpan(0, p), negate: false);
        Polynomials.ShrinkUntilStable(parameters.AsSpan(p, q), negate: true);

        var residuals = new double[m];
        if (q > 0)
        {
            ArimaEstimation.Refine(w, p, q, start, parameters, residuals);
        }

        var sse = ArimaEstimation.SumOfSquares(w, p, q, start, parameters, residuals, jacobian: null, derivatives: null);
        var count = m - start;
        var sigma2 = Math.Max(sse / count, 1e-300);
        var k = p + q + (withMean ? 1 : 0) + 1;
        var aicc = count - k - 1 > 0
            ? (count * Math.Log(sigma2)) + (2.0 * k) + (2.0 * k * (k + 1) / (count - k - 1))
            : double.PositiveInfinity;

        return new ArimaModel(order, parameters[..p], parameters[p..], mean, sigma2, aicc, count, levels, w, residuals, start);
    }

    /// <summary>Point forecasts for the <paramref name="steps"/> values after the fitted series.</summary>
    public double[] PointForecast(int steps) => PointForecastFrom(_centred.Length + Order.D, steps);

    /// <summary>
    /// In-sample point forecasts made as if only the first <paramref name="origin"/> values of the fitted series were
    /// known (coefficients stay those fitted on the whole series); used to calibrate multi-step errors empirically.
    /// </summary>
    /// <param name="origin">Number of known values, from d + p + first residual index up to the series length.</param>
    /// <param name="steps">Number of values to forecast.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="origin"/> outside that range.</exception>
    public double[] PointForecastFrom(int origin, int steps)
    {
        var (p, d, q) = (Order.P, Order.D, Order.Q);
        var known = origin - d;
        if (known < Math.Max(p, _firstResidualIndex) || known > _centred.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, $"Origin must leave at least {d + Math.Max(p, _firstResidualIndex)} known values and not exceed the series length {_centred.Length + d}.");
        }

        // Centred differenced values: known tail first (newest at the end), forecasts appended.
        var z = new double[p + steps];
        for (var i = 0; i < p; i++)
        {
            z[p - 1 - i] = _centred[known - 1 - i];
        }

        for (var h = 0; h < steps; h++)
        {
            var v = 0.0;
            for (var i = 0; i < p; i++)
            {
                v += _ar[i] * z[p + h - 1 - i];
            }

            // Future shocks have mean zero; only residuals already observed contribute.
            for (var j = h; j < q; j++)
            {
                v += _ma[j] * _residuals[known - 1 - (j - h)];
            }

            z[p + h] = v;
        }

        var result = new double[steps];
        for (var h = 0; h < steps; h++)
        {
            result[h] = z[p + h] + Mean;
        }

        for (var level = d - 1; level >= 0; level--)
        {
            var acc = _levels[level][origin - level - 1];
            for (var h = 0; h < steps; h++)
            {
                acc += result[h];
                result[h] = acc;
            }
        }

        return result;
    }

    /// <summary>Standard error of the h-step forecast error for h = 1..<paramref name="steps"/>.</summary>
    public double[] StandardErrors(int steps)
    {
        var psi = Polynomials.PsiWeights(_ar, _ma, Order.D, steps);
        var result = new double[steps];
        var acc = 0.0;
        for (var h = 0; h < steps; h++)
        {
            acc += psi[h] * psi[h];
            result[h] = Math.Sqrt(Sigma2 * acc);
        }

        return result;
    }

    /// <summary>
    /// Simulated forecast-error paths: for each path, the errors of steps 1..<paramref name="steps"/> obtained by
    /// feeding Gaussian shocks (variance <see cref="Sigma2"/>) through the ARIMA recursion from a zero start. Adding
    /// them to <see cref="PointForecast"/> gives joint sample paths (used for the distribution of window maxima).
    /// </summary>
    /// <param name="steps">Steps per path.</param>
    /// <param name="paths">Number of paths.</param>
    /// <param name="random">Seeded generator; the caller owns determinism.</param>
    public double[][] SimulateErrorPaths(int steps, int paths, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (p, d, q) = (Order.P, Order.D, Order.Q);
        var sigma = Math.Sqrt(Sigma2);
        var result = new double[paths][];
        var u = new double[steps];
        var shocks = new double[steps];
        for (var path = 0; path < paths; path++)
        {
            var errors = new double[steps];
            for (var h = 0; h < steps; h++)
            {
                shocks[h] = sigma * SyntheticTraffic.Gaussian(random);
                var v = shocks[h];
                for (var i = 0; i < p && h - 1 - i >= 0; i++)
                {
                    v += _ar[i] * u[h - 1 - i];
                }

                for (var j = 0; j < q && h - 1 - j >= 0; j++)
                {
                    v += _ma[j] * shocks[h - 1 - j];
                }

                u[h] = v;
                errors[h] = v;
            }

            for (var level = 0; level < d; level++)
            {
                for (var h = 1; h < steps; h++)
                {
                    errors[h] += errors[h - 1];
                }
            }

            result[path] = errors;
        }

        return result;
    }

    /// <summary>Differences d times; also returns every level 0..d−1 for integrating forecasts back.</summary>
    private static (double[] Differenced, double[][] Levels) Difference(ReadOnlySpan<double> series, int d)
    {
        var current = series.ToArray();
        var levels = new double[d][];
        for (var level = 0; level < d; level++)
        {
            levels[level] = current;
            var next = new double[current.Length - 1];
            for (var i = 0; i < next.Length; i++)
            {
                next[i] = current[i + 1] - current[i];
            }

            current = next;
        }

        return (current, levels);
    }
}
