namespace SageServe.Planning.Forecasting;

/// <summary>A multi-step forecast: one point value and one upper-quantile value per future minute.</summary>
/// <param name="Point">Point forecast per step; index 0 is the minute right after the history.</param>
/// <param name="Upper">Upper band per step at <paramref name="UpperQuantile"/>; element-wise ≥ <paramref name="Point"/>.</param>
/// <param name="UpperQuantile">The quantile the band was computed for (for example 0.9).</param>
public sealed record Forecast(IReadOnlyList<double> Point, IReadOnlyList<double> Upper, double UpperQuantile)
{
    /// <summary>Number of forecast steps (minutes).</summary>
    public int Steps => Point.Count;

    /// <summary>
    /// Optional distribution of each hour's planning-window maximum (see <see cref="PlannerSignal"/>) supplied by the
    /// forecaster from simulated paths or in-sample errors: the median of the window maximum as the point and its
    /// <see cref="UpperQuantile"/> as the upper value. It exists because the maximum of per-minute quantiles is not
    /// the quantile of the maximum: a smooth point forecast's window maximum misses the noise peaks the actual
    /// maximum contains, and covers it far less often than the nominal quantile. Null when the forecaster has no
    /// such estimate; <see cref="PlannerSignal.Hourly"/> then falls back to the per-minute series.
    /// </summary>
    public IReadOnlyList<HourlyDemand>? PlannerHours { get; init; }
}
