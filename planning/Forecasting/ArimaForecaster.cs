namespace SageServe.Planning.Forecasting;

/// <summary>
/// ARIMA forecaster with an optional daily component: subtract a per-minute-of-day profile (see
/// <see cref="ArimaOptions.Seasonal"/>), fit ARIMA (fixed order or automatic) on the last
/// <see cref="ArimaOptions.FitWindow"/> of the deseasonalised series, forecast, add the profile back.
/// The upper band is point + z_q · σ_h with σ_h from the model's ψ-weights (Gaussian shocks); the distribution of
/// each hour's window maximum (<see cref="Forecast.PlannerHours"/>) comes from paths simulated from the model.
/// </summary>
public sealed class ArimaForecaster : IForecaster
{
    private const int MinimumFitLength = 30;

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
        return finished with { PlannerHours = WindowMaxDistribution.FromErrorPaths(point, paths, upperQuantile) };
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
