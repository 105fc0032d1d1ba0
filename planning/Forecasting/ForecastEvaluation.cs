namespace SageServe.Planning.Forecasting;

/// <summary>Out-of-sample scoring of forecasters.</summary>
public static class ForecastEvaluation
{
    /// <summary>
    /// Mean absolute percentage error, in percent: mean of |actual − forecast| / |actual| × 100 over the pairs whose
    /// actual is non-zero. Zero actuals are skipped because their percentage error is undefined (idle minutes would
    /// otherwise dominate or break the score). Returns NaN when every actual is zero.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double MapePercent(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        if (actual.Length != forecast.Length)
        {
            throw new ArgumentException($"actual has {actual.Length} values but forecast has {forecast.Length}.", nameof(forecast));
        }

        var sum = 0.0;
        var count = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i] != 0.0)
            {
                sum += Math.Abs(actual[i] - forecast[i]) / Math.Abs(actual[i]);
                count++;
            }
        }

        return count == 0 ? double.NaN : 100.0 * sum / count;
    }

    /// <summary>
    /// Rolling-origin evaluation: at every origin t = warm-up, warm-up + stride, … (with a full hour of actuals after
    /// it), forecast the next 60 minutes from series[0..t) only and compare with series[t..t+60).
    /// </summary>
    /// <param name="forecaster">The forecaster under test.</param>
    /// <param name="series">The full per-minute series.</param>
    /// <param name="options">Warm-up, stride and quantile; defaults when null.</param>
    /// <exception cref="ArgumentException">The series is too short for a single origin.</exception>
    public static RollingOriginResult RollingOrigin(IForecaster forecaster, ReadOnlySpan<double> series, RollingOriginOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        options ??= new RollingOriginOptions();
        options.Validate();
        const int horizon = 60;
        var warmUp = (int)Math.Round(options.WarmUp.TotalMinutes);
        var stride = (int)Math.Round(options.OriginStride.TotalMinutes);
        if (series.Length < warmUp + horizon)
        {
            throw new ArgumentException(
                $"Series of {series.Length} minutes is too short for a {warmUp}-minute warm-up plus one hour.", nameof(series));
        }

        var minuteActual = new List<double>();
        var minutePoint = new List<double>();
        var hourActual = new List<double>();
        var hourPoint = new List<double>();
        var bandHourPoint = new List<double>();
        int minuteCovered = 0, hourCovered = 0, bandHourCovered = 0, origins = 0;
        for (var t = warmUp; t + horizon <= series.Length; t += stride)
        {
            var forecast = forecaster.Forecast(series[..t], horizon, options.UpperQuantile);
            var actual = series.Slice(t, horizon);
            for (var h = 0; h < horizon; h++)
            {
                minuteActual.Add(actual[h]);
                minutePoint.Add(forecast.Point[h]);
                minuteCovered += actual[h] <= forecast.Upper[h] ? 1 : 0;
            }

            var signal = PlannerSignal.Hourly(forecast, 1)[0];
            var actualMax = PlannerSignal.WindowMax(actual);
            hourActual.Add(actualMax);
            hourPoint.Add(signal.PointPromptTokensPerMinute);
            hourCovered += actualMax <= signal.UpperPromptTokensPerMinute ? 1 : 0;
            var bandSignal = PlannerSignal.HourlyFromMinutes(forecast, 1)[0];
            bandHourPoint.Add(bandSignal.PointPromptTokensPerMinute);
            bandHourCovered += actualMax <= bandSignal.UpperPromptTokensPerMinute ? 1 : 0;
            origins++;
        }

        return new RollingOriginResult(
            forecaster.Name,
            origins,
            MapePercent(hourActual.ToArray(), hourPoint.ToArray()),
            MapePercent(minuteActual.ToArray(), minutePoint.ToArray()),
            (double)hourCovered / origins,
            (double)minuteCovered / minuteActual.Count,
            MapePercent(hourActual.ToArray(), bandHourPoint.ToArray()),
            (double)bandHourCovered / origins);
    }
}
