namespace SageServe.Planning.Forecasting;

/// <summary>Settings of <see cref="ArimaForecaster"/>. Series are sampled once per minute.</summary>
public sealed record ArimaOptions
{
    /// <summary>The reference configuration: non-seasonal ARIMA(3, 1, 2), as in the original system.</summary>
    public static ArimaOptions Reference { get; } = new() { Order = ArimaOrder.Reference, Seasonal = false };

    /// <summary>Fixed order, or null (default) to select it with <see cref="AutoArima"/> on every fit.</summary>
    public ArimaOrder? Order { get; init; }

    /// <summary>Search space when <see cref="Order"/> is null.</summary>
    public AutoArimaOptions AutoArima { get; init; } = new();

    /// <summary>
    /// Remove a daily profile before fitting and add it back to the forecast. Default true. Needs at least two
    /// seasons of history; with less the model is fitted to the raw series.
    /// </summary>
    public bool Seasonal { get; init; } = true;

    /// <summary>Season length. Default one day (1440 minutes).</summary>
    public TimeSpan SeasonLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Most recent seasons whose same-minute values feed the profile median. Default 7.</summary>
    public int ProfileSeasons { get; init; } = 7;

    /// <summary>Width of the moving average smoothing the profile. Default 15 minutes.</summary>
    public TimeSpan ProfileSmoothing { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Only the most recent part of the (deseasonalised) history is used to fit the ARMA part. Default two days
    /// (2880 minutes): enough for a dozen short-memory parameters, and it bounds the fit cost whatever the history
    /// length (the seasonal profile still uses <see cref="ProfileSeasons"/> days).
    /// </summary>
    public TimeSpan FitWindow { get; init; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Sample paths simulated from the fitted model to estimate each hour's window-maximum distribution
    /// (<see cref="Forecast.PlannerHours"/>). Default 500; 0 disables it.
    /// </summary>
    public int SimulatedPaths { get; init; } = 500;

    /// <summary>Seed of the path simulation, so equal histories give equal forecasts. Default 1.</summary>
    public int SimulationSeed { get; init; } = 1;

    /// <summary>Throws when a setting is out of range, naming the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Order?.Validate();
        AutoArima.Validate();
        if (SeasonLength.TotalMinutes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonLength), SeasonLength, "ArimaOptions.SeasonLength must be at least 2 minutes.");
        }

        if (ProfileSeasons < SeasonalProfile.MinimumSeasons)
        {
            throw new ArgumentOutOfRangeException(nameof(ProfileSeasons), ProfileSeasons, "ArimaOptions.ProfileSeasons must be at least 2.");
        }

        if (ProfileSmoothing < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProfileSmoothing), ProfileSmoothing, "ArimaOptions.ProfileSmoothing must not be negative.");
        }

        if (SimulatedPaths < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SimulatedPaths), SimulatedPaths, "ArimaOptions.SimulatedPaths must not be negative.");
        }

        if (FitWindow.TotalMinutes < 60)
        {
            throw new ArgumentOutOfRangeException(nameof(FitWindow), FitWindow, "ArimaOptions.FitWindow must be at least 60 minutes.");
        }
    }
}
