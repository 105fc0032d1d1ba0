namespace SageServe.Planning.Forecasting;

/// <summary>
/// ARIMA forecaster with an optional daily component: subtract a per-minute-of-day profile (see
/// <see cref="ArimaOptions.Seasonal"/>), fit ARIMA (fixed order or automatic) on the last
/// <see cref="ArimaOptions.FitWindow"/> of the deseasonalised series, forecast, add the profile back.
/// The upper band is point + z_q · σ_h with σ_h from the model's ψ-weights (Gaussian shocks). Each hour's
/// window-maximum distribution (<see cref="Forecast.PlannerHours"/>) is empirical where possible — forecast window
/// max plus quantiles of "actual − forecast" window maxima of in-sample forecasts made every 30 minutes in the fit
/// window (at least 12 of them) — and otherwise from paths simulated from the model, which on diurnal traffic cover
/// the hourly peak less often than nominal (the ARMA model understates how the peak behaves).
/// </summary>
public sealed class ArimaForecaster : IForecaster
{
    private const int MinimumFitLength = 30;
    private const int CalibrationBurnInMinutes = 240;
    private const int CalibrationStrideMinutes = 30;
    private const int MinimumCalibrationOrigins = 12;

    private readonly ArimaOptions _options;
    private readonly int _seasonMinutes;
    private readonly int _windowMinutes;
    private readonly int _smoothingMinutes;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="options">Settings; defaults (automatic order, seasonal, 2-day fit window) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ArimaForecaster(ArimaOptions? options = null)
    {
        _options = options ?? new ArimaOptions();
        _options.Validate();
        _seasonMinutes = (int)Math.Round(_options.SeasonLength.TotalMinutes);
        _windowMinutes = (int)Math.Round(_options.FitWindow.TotalMinutes);
        _smoothingMinutes = (int)Math.Round(_options.ProfileSmoothing.TotalMinutes);
    }

    /// <inheritdoc />
    public string Name => (_options.Order is { } order ? $"arima{order}" : "auto-arima") + (_options.Seasonal ? "-seasonal" : string.Empty);

    /// <summary>Fits the ARIMA model this forecaster would use for <paramref name="history"/> (for diagnostics and tests).</summary>
    /// <param name="history">Finite values, oldest first.</param>
    /// <returns>The fitted ARMA model on the deseasonalised window, or null when the history is too short or flat.</returns>
    public ArimaModel? FitModel(ReadOnlySpan<double> history)
    {
        var (window, _) = Deseasonalise(history);
        return window.Length < MinimumLength() || ForecastGuard.IsConstant(window) ? null : Fit(window);
    }

    /// <inheritdoc />
    public Forecast Forecast(ReadOnlySpan<double> history, int stepsAhead, double upperQuantile)
    {
        ForecastGuard.Validate(history, stepsAhead, upperQuantile);
        var (window, profile) = Deseasonalise(history);

        double[] point;
        double[] se;
        ArimaModel? model = null;
        if (ForecastGuard.IsConstant(window))
        {
            point = new double[stepsAhead];
            Array.Fill(point, window[^1]);
            se = new double[stepsAhead];
        }
        else if (window.Length < MinimumLength())
        {
            (point, se) = RandomWalk.Forecast(window, stepsAhead);
        }
        else
        {
            model = Fit(window);
            point = model.PointForecast(stepsAhead);
            se = model.StandardErrors(stepsAhead);
        }

        var z = Stats.NormalQuantile(upperQuantile);
        var upper = new double[stepsAhead];
        for (var h = 0; h < stepsAhead; h++)
        {
            if (profile is not null)
            {
                point[h] += profile[(history.Length + h) % _seasonMinutes];
            }

            upper[h] = point[h] + (z * se[h]);
        }

        var finished = ForecastGuard.Finish(point, upper, upperQuantile);
        if (model is null || _options.SimulatedPaths == 0 || stepsAhead < 60)
        {
            return finished;
        }

        var paths = model.SimulateErrorPaths(stepsAhead, _options.SimulatedPaths, new Random(_options.SimulationSeed));
        var simulated = WindowMaxDistribution.FromErrorPaths(point, paths, upperQuantile);
        var excess = InSampleWindowMaxExcess(history, window, profile, model, stepsAhead / 60);
        var empirical = WindowMaxDistribution.FromExcess(point, excess, upperQuantile);
        var hours = new HourlyDemand[simulated.Length];
        for (var k = 0; k < hours.Length; k++)
        {
            hours[k] = excess[k].Length >= MinimumCalibrationOrigins ? empirical[k] : simulated[k];
        }

        return finished with { PlannerHours = hours };
    }

    /// <summary>
    /// Per hour k, samples of (actual − forecast) planning-window maxima from in-sample forecasts made every 30 minutes
    /// in the fit window (after a 4-hour burn-in), in the original units (profile added back).
    /// </summary>
    private double[][] InSampleWindowMaxExcess(ReadOnlySpan<double> history, double[] window, double[]? profile, ArimaModel model, int hours)
    {
        var offset = history.Length - window.Length;
        var samples = Enumerable.Range(0, hours).Select(_ => new List<double>()).ToArray();
        for (var t = CalibrationBurnInMinutes; t + 60 <= window.Length; t += CalibrationStrideMinutes)
        {
            var steps = Math.Min(hours * 60, window.Length - t);
            var forecast = model.PointForecastFrom(t, steps);
            for (var k = 0; (k + 1) * 60 <= steps; k++)
            {
                var (from, to) = PlannerSignal.WindowSteps(k);
                double forecastMax = double.NegativeInfinity, actualMax = double.NegativeInfinity;
                for (var h = from; h < to; h++)
                {
                    var seasonal = profile is null ? 0.0 : profile[(offset + t + h) % _seasonMinutes];
                    forecastMax = Math.Max(forecastMax, Math.Max(0.0, forecast[h] + seasonal));
                    actualMax = Math.Max(actualMax, history[offset + t + h]);
                }

                samples[k].Add(actualMax - forecastMax);
            }
        }

        return samples.Select(list => list.ToArray()).ToArray();
    }

    private int MinimumLength()
    {
        var order = _options.Order;
        return order is { } o ? Math.Max(MinimumFitLength, (3 * (o.P + o.Q + o.D)) + 10) : MinimumFitLength;
    }

    private ArimaModel Fit(double[] window) =>
        _options.Order is { } order ? ArimaModel.Fit(window, order) : AutoArima.Fit(window, _options.AutoArima);

    /// <summary>The last fit-window of the history minus the profile (when seasonal and enough history), and the profile.</summary>
    private (double[] Window, double[]? Profile) Deseasonalise(ReadOnlySpan<double> history)
    {
        var profile = _options.Seasonal
            ? SeasonalProfile.Estimate(history, _seasonMinutes, _options.ProfileSeasons, _smoothingMinutes)
            : null;
        var length = Math.Min(history.Length, _windowMinutes);
        var offset = history.Length - length;
        var window = new double[length];
        for (var i = 0; i < length; i++)
        {
            window[i] = history[offset + i] - (profile is null ? 0.0 : profile[(offset + i) % _seasonMinutes]);
        }

        return (window, profile);
    }
}
