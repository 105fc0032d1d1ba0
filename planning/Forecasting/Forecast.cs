namespace SageServe.Planning.Forecasting;

/// <summary>A multi-step forecast: one point value and one upper-quantile value per future minute.</summary>
/// <param name="Point">Point forecast per step; index 0 is the minute right after the history.</param>
/// <param name="Upper">Upper band per step at <paramref name="UpperQuantile"/>; element-wise ≥ <paramref name="Point"/>.</param>
/// <param name="UpperQuantile">The quantile the band was computed for (for example 0.9).</param>
public sealed record Forecast(IReadOnlyList<double> Point, IReadOnlyList<double> Upper, double UpperQuantile)
{
    /// <summary>Number of forecast steps (minutes).</summary>
    public int Steps => Point.Count;
}
