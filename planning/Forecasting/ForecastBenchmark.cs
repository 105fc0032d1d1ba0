using System.Globalization;
using System.Text;

namespace SageServe.Planning.Forecasting;

/// <summary>
/// Measures fit+forecast cost and out-of-sample accuracy of every forecaster on synthetic diurnal series, for the
/// CLI and for reports. Not used by the planner itself.
/// </summary>
public static class ForecastBenchmark
{
    /// <summary>The forecasters compared: seasonal naive, Holt–Winters, reference ARIMA(3,1,2), seasonal auto-ARIMA.</summary>
    public static IReadOnlyList<IForecaster> Candidates() =>
    [
        new SeasonalNaiveForecaster(),
        new HoltWintersForecaster(),
        new ArimaForecaster(ArimaOptions.Reference),
        new ArimaForecaster(),
    ];

    /// <summary>
    /// For each forecaster: the time to fit and forecast 4 hours ahead on <paramref name="series"/> series of
    /// <paramref name="days"/> days each, and the rolling-origin scores (hourly origins after a one-day warm-up) on
    /// the first series.
    /// </summary>
    /// <param name="series">Number of series (for example 12: models × regions).</param>
    /// <param name="days">Days of minutes per series, ≥ 2.</param>
    /// <param name="seed">Seed of the first series; series i uses seed + i.</param>
    /// <param name="time">Clock for the timings (the caller's choice: planning never reads the wall clock itself).</param>
    /// <returns>A human-readable table.</returns>
    public static string Run(int series, int days, int seed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(series, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 2);
        var data = new double[series][];
        for (var i = 0; i < series; i++)
        {
            data[i] = SyntheticTraffic.Diurnal(days, seed + i);
        }

        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"Forecast benchmark: {series} series x {days} days ({days * 1440} minutes each), seed {seed}");
        text.AppendLine("MAPE and cover90 are out-of-sample (rolling origin, hourly, 1-day warm-up) on series 0; 'band' columns use the");
        text.AppendLine("max of the per-minute series (reference way), the others the forecaster's window-max distribution if it has one.");
        text.AppendLine("forecaster             fit+forecast(all)  hourMax MAPE  (band)  minute MAPE  cover90 hourMax  (band)  cover90 min  origins");
        foreach (var forecaster in Candidates())
        {
            var started = time.GetTimestamp();
            foreach (var s in data)
            {
                forecaster.Forecast(s, PlannerSignal.StepsFor(4), 0.9);
            }

            var elapsed = time.GetElapsedTime(started);
            var score = ForecastEvaluation.RollingOrigin(forecaster, data[0]);
            text.AppendLine(culture,
                $"{forecaster.Name,-22} {elapsed.TotalMilliseconds,14:F1} ms  {score.HourlyMaxMapePercent,11:F2}%  {score.MinuteBandHourlyMaxMapePercent,6:F2}%  {score.MinuteMapePercent,10:F2}%  {score.HourlyMaxUpperCoverage,15:F3}  {score.MinuteBandHourlyMaxUpperCoverage,6:F3}  {score.MinuteUpperCoverage,11:F3}  {score.Origins,7}");
        }

        return text.ToString();
    }
}
