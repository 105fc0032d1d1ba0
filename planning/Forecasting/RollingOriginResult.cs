namespace SageServe.Planning.Forecasting;

/// <summary>Scores of one forecaster over a rolling-origin evaluation (all out-of-sample).</summary>
/// <param name="Forecaster">The forecaster's name.</param>
/// <param name="Origins">Number of forecast origins.</param>
/// <param name="HourlyMaxMapePercent">MAPE of the planner quantity: max over minutes [t+20, t+60) of the point
/// forecast against the same max of the actuals.</param>
/// <param name="MinuteMapePercent">MAPE over every forecast minute (steps 1..60).</param>
/// <param name="HourlyMaxUpperCoverage">Fraction of origins whose actual window max is ≤ the upper band's window max.</param>
/// <param name="MinuteUpperCoverage">Fraction of forecast minutes whose actual is ≤ the upper band.</param>
/// <param name="MinuteBandHourlyMaxMapePercent">Like <paramref name="HourlyMaxMapePercent"/> but always from the
/// per-minute series (<see cref="PlannerSignal.HourlyFromMinutes"/>, the reference's way), ignoring
/// <see cref="Forecast.PlannerHours"/>.</param>
/// <param name="MinuteBandHourlyMaxUpperCoverage">Like <paramref name="HourlyMaxUpperCoverage"/> but from the
/// per-minute upper band.</param>
/// <remarks>The hourly scores use <see cref="PlannerSignal.Hourly"/>, i.e. what the planner receives.</remarks>
public sealed record RollingOriginResult(
    string Forecaster,
    int Origins,
    double HourlyMaxMapePercent,
    double MinuteMapePercent,
    double HourlyMaxUpperCoverage,
    double MinuteUpperCoverage,
    double MinuteBandHourlyMaxMapePercent,
    double MinuteBandHourlyMaxUpperCoverage);
