namespace SageServe.Planning.Forecasting;

/// <summary>
/// Seasonal naive forecast: each minute repeats the same minute one season ago (or the mean of the same minute
/// over the last <see cref="SeasonalNaiveOptions.SeasonsToAverage"/> seasons). With less than one season of history
/// it repeats the last value. The upper band adds the empirical <c>upperQuantile</c> of the in-sample seasonal
/// naive errors (distribution-free), widened by √k for the k-th season ahead.
/// </summary>
public sealed class SeasonalNaiveForecaster : IForecaster
{
    /// <summary>Below this many in-sample errors their empirical quantile is too coarse; a Gaussian band is used.</summary>
    private const int MinimumResidualsForEmpiricalQuantile = 50;

    private readonly SeasonalNaiveOptions _options;
    private readonly int _seasonMinutes;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="options">Settings; defaults (daily season, no averaging) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SeasonalNaiveForecaster(SeasonalNaiveOptions? options = null)
    {
        _options = options ?? new SeasonalNaiveOptions();
        _options.Validate();
        _seasonMinutes = (int)Math.Round(_options.SeasonLength.TotalMinutes);
    }

    /// <inheritdoc />
    public string Name => _options.SeasonsToAverage == 1 ? "seasonal-naive" : $"seasonal-naive-avg{_options.SeasonsToAverage}";

    /// <inheritdoc />
    public Forecast Forecast(ReadOnlySpan<double> history, int stepsAhead, double upperQuantile)
    {
        ForecastGuard.Validate(history, stepsAhead, upperQuantile);
        var n = history.Length;
        var s = _seasonMinutes;
        var upper = new double[stepsAhead];
        if (n < s)
        {
            var (rwPoint, rwSe) = RandomWalk.Forecast(history, stepsAhead);
            var z = Stats.NormalQuantile(upperQuantile);
            for (var h = 0; h < stepsAhead; h++)
            {
                upper[h] = rwPoint[h] + (z * rwSe[h]);
            }

            return ForecastGuard.Finish(rwPoint, upper, upperQuantile);
        }

        var k = Math.Min(_options.SeasonsToAverage, n / s);
        var point = new double[stepsAhead];
        for (var h = 0; h < stepsAhead; h++)
        {
            // Beyond one season the forecast repeats itself: the "value one season ago" is then a forecast too.
            point[h] = h < s ? SameMinuteMean(history, n + h, s, k) : point[h - s];
        }

        var offset = UpperOffset(history, s, k, upperQuantile);
        for (var h = 0; h < stepsAhead; h++)
        {
            upper[h] = point[h] + (offset * Math.Sqrt((h / s) + 1));
        }

        return ForecastGuard.Finish(point, upper, upperQuantile);
    }

    private static double SameMinuteMean(ReadOnlySpan<double> history, int target, int s, int k)
    {
        var sum = 0.0;
        for (var j = 1; j <= k; j++)
        {
            sum += history[target - (j * s)];
        }

        return sum / k;
    }

    private static double UpperOffset(ReadOnlySpan<double> history, int s, int k, double upperQuantile)
    {
        var n = history.Length;
        var count = n - (k * s);
        if (count <= 1)
        {
            // Exactly k seasons: no error has been observed yet; use the spread of one-step changes instead.
            var (_, se) = RandomWalk.Forecast(history, 1);
            return Stats.NormalQuantile(upperQuantile) * se[0];
        }

        var residuals = new double[count];
        for (var t = k * s; t < n; t++)
        {
            residuals[t - (k * s)] = history[t] - SameMinuteMean(history, t, s, k);
        }

        if (count >= MinimumResidualsForEmpiricalQuantile)
        {
            return Math.Max(0.0, Stats.QuantileInPlace(residuals, upperQuantile));
        }

        var mean = Stats.Mean(residuals);
        var variance = 0.0;
        foreach (var r in residuals)
        {
            variance += (r - mean) * (r - mean);
        }

        return Math.Max(0.0, mean + (Stats.NormalQuantile(upperQuantile) * Math.Sqrt(variance / (count - 1))));
    }
}
