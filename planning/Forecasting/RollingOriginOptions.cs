namespace SageServe.Planning.Forecasting;

/// <summary>Settings of <see cref="ForecastEvaluation.RollingOrigin"/>.</summary>
public sealed record RollingOriginOptions
{
    /// <summary>History before the first origin. Default one day.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Distance between origins. Default one hour (every hour boundary, as the planner runs).</summary>
    public TimeSpan OriginStride { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Quantile of the upper band whose coverage is reported. Default 0.9.</summary>
    public double UpperQuantile { get; init; } = 0.9;

    /// <summary>Throws when a setting is out of range, naming the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (WarmUp.TotalMinutes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WarmUp), WarmUp, "RollingOriginOptions.WarmUp must be at least one minute.");
        }

        if (OriginStride.TotalMinutes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(OriginStride), OriginStride, "RollingOriginOptions.OriginStride must be at least one minute.");
        }

        if (!(UpperQuantile >= 0.5 && UpperQuantile < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(UpperQuantile), UpperQuantile, "RollingOriginOptions.UpperQuantile must be in [0.5, 1).");
        }
    }
}
