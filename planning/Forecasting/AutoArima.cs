namespace SageServe.Planning.Forecasting;

/// <summary>
/// Automatic ARIMA order selection: d by repeated KPSS level-stationarity tests, then (p, q) over the grid
/// 0..<see cref="AutoArimaOptions.MaxP"/> × 0..<see cref="AutoArimaOptions.MaxQ"/> by AICc with a parsimony rule:
/// among the models within <see cref="AutoArimaOptions.AiccTolerance"/> of the smallest AICc, the one with the fewest
/// coefficients wins (ties by AICc). Without it, white noise often gets an ARMA(1,1) whose AR and MA roots cancel.
/// </summary>
public static class AutoArima
{
    /// <summary>Selects an order and fits it.</summary>
    /// <param name="series">Finite values, oldest first.</param>
    /// <param name="options">Grid and test settings; defaults when null.</param>
    /// <returns>The fitted model with the smallest AICc.</returns>
    /// <exception cref="ArgumentException">Series too short to fit even ARIMA(0, d, 0).</exception>
    public static ArimaModel Fit(ReadOnlySpan<double> series, AutoArimaOptions? options = null)
    {
        options ??= new AutoArimaOptions();
        options.Validate();
        var d = SelectDifferencing(series, options);

        // Every candidate's sum of squares starts at the same index so AICc values compare like with like.
        var start = options.MaxP;
        var candidates = new List<ArimaModel>();
        for (var p = 0; p <= options.MaxP; p++)
        {
            for (var q = 0; q <= options.MaxQ; q++)
            {
                var order = new ArimaOrder(p, d, q);
                if (series.Length - d - start < p + q + 2)
                {
                    continue;
                }

                candidates.Add(ArimaModel.Fit(series, order, start));
            }
        }

        if (candidates.Count == 0)
        {
            throw new ArgumentException($"Series of length {series.Length} is too short for automatic ARIMA selection.", nameof(series));
        }

        var minimum = candidates.Min(m => m.Aicc);
        return candidates
            .Where(m => m.Aicc <= minimum + options.AiccTolerance)
            .OrderBy(m => m.Order.P + m.Order.Q)
            .ThenBy(m => m.Aicc)
            .First();
    }

    /// <summary>
    /// Smallest d in 0..<see cref="AutoArimaOptions.MaxD"/> whose d-times differenced series passes the KPSS
    /// level-stationarity test at the configured critical value.
    /// </summary>
    public static int SelectDifferencing(ReadOnlySpan<double> series, AutoArimaOptions options)
    {
        var current = series.ToArray();
        for (var d = 0; d < options.MaxD; d++)
        {
            if (current.Length < 16 || KpssStatistic(current) <= options.KpssCriticalValue)
            {
                return d;
            }

            var next = new double[current.Length - 1];
            for (var i = 0; i < next.Length; i++)
            {
                next[i] = current[i + 1] - current[i];
            }

            current = next;
        }

        return options.MaxD;
    }

    /// <summary>
    /// KPSS statistic for level stationarity: Σ Sₜ² / (n² σ̂²) with Sₜ the partial sums of deviations from the mean
    /// and σ̂² the Bartlett-weighted long-run variance with lag ⌊12 (n/100)^¼⌋ (the "long" lag, which keeps strongly
    /// autocorrelated but stationary minute data from being differenced). 0 for a constant series.
    /// </summary>
    public static double KpssStatistic(ReadOnlySpan<double> series)
    {
        var n = series.Length;
        var mean = Stats.Mean(series);
        var e = new double[n];
        for (var i = 0; i < n; i++)
        {
            e[i] = series[i] - mean;
        }

        var lags = Math.Min(n - 1, (int)Math.Floor(12.0 * Math.Pow(n / 100.0, 0.25)));
        var longRun = 0.0;
        for (var l = 0; l <= lags; l++)
        {
            var gamma = 0.0;
            for (var t = l; t < n; t++)
            {
                gamma += e[t] * e[t - l];
            }

            gamma /= n;
            longRun += l == 0 ? gamma : 2.0 * (1.0 - (l / (lags + 1.0))) * gamma;
        }

        if (!(longRun > 1e-300))
        {
            return 0.0;
        }

        var partial = 0.0;
        var sumSquares = 0.0;
        foreach (var v in e)
        {
            partial += v;
            sumSquares += partial * partial;
        }

        return sumSquares / ((double)n * n * longRun);
    }
}
