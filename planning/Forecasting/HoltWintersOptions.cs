namespace SageServe.Planning.Forecasting;

/// <summary>Settings of <see cref="HoltWintersForecaster"/>. Series are sampled once per minute.</summary>
public sealed record HoltWintersOptions
{
    /// <summary>Season length. Default one day (1440 minutes).</summary>
    public TimeSpan SeasonLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Only the most recent part of the history is smoothed (its first two seasons initialise the states).
    /// Default seven days; the fit cost is linear in it times the 192-point parameter grid.
    /// </summary>
    public TimeSpan FitWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Throws when a setting is out of range, naming the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (SeasonLength.TotalMinutes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonLength), SeasonLength, "HoltWintersOptions.SeasonLength must be at least 2 minutes.");
        }

        if (FitWindow.TotalMinutes < 60)
        {
            throw new ArgumentOutOfRangeException(nameof(FitWindow), FitWindow, "HoltWintersOptions.FitWindow must be at least 60 minutes.");
        }
    }
}
