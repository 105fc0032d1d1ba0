namespace SageServe.Planning.Forecasting;

/// <summary>Settings of <see cref="SeasonalNaiveForecaster"/>. Series are sampled once per minute.</summary>
public sealed record SeasonalNaiveOptions
{
    /// <summary>Season length. Default one day (1440 minutes).</summary>
    public TimeSpan SeasonLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Number of past seasons averaged for each minute (fewer when the history is shorter). Default 1.</summary>
    public int SeasonsToAverage { get; init; } = 1;

    /// <summary>Throws when a setting is out of range, naming the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (SeasonLength.TotalMinutes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonLength), SeasonLength, "SeasonalNaiveOptions.SeasonLength must be at least 1 minute.");
        }

        if (SeasonsToAverage < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonsToAverage), SeasonsToAverage, "SeasonalNaiveOptions.SeasonsToAverage must be at least 1.");
        }
    }
}
