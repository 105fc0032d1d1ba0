namespace SageServe.Planning.Forecasting;

/// <summary>
/// Forecasts a traffic series sampled once per minute (for example interactive-workload prompt tokens per minute
/// for one (model, home region)) from its past only.
/// </summary>
/// <remarks>
/// Implementations are stateless between calls: every call fits on the <c>history</c> it is given and nothing else,
/// so a forecast is always out-of-sample with respect to the minutes it predicts.
/// </remarks>
public interface IForecaster
{
    /// <summary>Short name for reports (for example "arima-seasonal").</summary>
    string Name { get; }

    /// <summary>Forecasts the <paramref name="stepsAhead"/> minutes that follow <paramref name="history"/>.</summary>
    /// <param name="history">Past values, oldest first, one per minute; finite, at least one value.</param>
    /// <param name="stepsAhead">Number of minutes to forecast (step 1 is the minute right after the history).</param>
    /// <param name="upperQuantile">Quantile of the upper band, in [0.5, 1) (for example 0.9 or 0.95).</param>
    /// <returns>Point forecasts and upper-quantile band, both non-negative, band never below the point.</returns>
    /// <exception cref="ArgumentException">History empty or containing NaN/infinity (the message names the index),
    /// <paramref name="stepsAhead"/> not positive, or <paramref name="upperQuantile"/> out of range.</exception>
    Forecast Forecast(ReadOnlySpan<double> history, int stepsAhead, double upperQuantile);
}
