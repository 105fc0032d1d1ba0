namespace SageServe.Planning.Forecasting;

/// <summary>Shape of <see cref="SyntheticTraffic.Diurnal"/> series.</summary>
public sealed record SyntheticTrafficOptions
{
    /// <summary>Mean level at the start. Default 100 000 prompt tokens per minute.</summary>
    public double BasePromptTokensPerMinute { get; init; } = 100_000;

    /// <summary>Relative amplitude of the daily sinusoid (a second harmonic of 0.3× this is added). Default 0.5.</summary>
    public double DailyAmplitude { get; init; } = 0.5;

    /// <summary>Time of day of the main peak. Default 14:00.</summary>
    public TimeSpan PeakTimeOfDay { get; init; } = TimeSpan.FromHours(14);

    /// <summary>Relative growth of the level per day. Default 0.03 (3 % a day).</summary>
    public double TrendPerDay { get; init; } = 0.03;

    /// <summary>Standard deviation of the multiplicative noise. Default 0.05.</summary>
    public double NoiseFraction { get; init; } = 0.05;

    /// <summary>Lag-one autocorrelation of the noise (minute to minute). Default 0.5.</summary>
    public double NoiseAutocorrelation { get; init; } = 0.5;
}
