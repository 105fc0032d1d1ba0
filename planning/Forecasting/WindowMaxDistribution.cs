namespace SageServe.Planning.Forecasting;

/// <summary>
/// Builds <see cref="Forecast.PlannerHours"/>: per hour, the median and upper quantile of the maximum over the
/// planning window, either from simulated error paths or from in-sample "actual max − forecast max" excesses.
/// </summary>
internal static class WindowMaxDistribution
{
    /// <summary>Planner hours from error paths around the (final, non-negative) point forecast.</summary>
    public static HourlyDemand[] FromErrorPaths(double[] point, double[][] errorPaths, double upperQuantile)
    {
        var hours = point.Length / 60;
        var result = new HourlyDemand[hours];
        var maxima = new double[errorPaths.Length];
        for (var k = 0; k < hours; k++)
        {
            var (from, to) = PlannerSignal.WindowSteps(k);
            for (var path = 0; path < errorPaths.Length; path++)
            {
                var errors = errorPaths[path];
                var max = double.NegativeInfinity;
                for (var h = from; h < to; h++)
                {
                    max = Math.Max(max, Math.Max(0.0, point[h] + errors[h]));
                }

                maxima[path] = max;
            }

            result[k] = Summarise(k, maxima, 0.0, upperQuantile);
        }

        return result;
    }

    /// <summary>
    /// Planner hours from samples of (actual window max − forecast window max) per hour; an hour without samples gets
    /// the forecast window max for both values (callers should prefer another estimate then).
    /// </summary>
    public static HourlyDemand[] FromExcess(double[] point, IReadOnlyList<double[]> excessPerHour, double upperQuantile)
    {
        var hours = Math.Min(point.Length / 60, excessPerHour.Count);
        var result = new HourlyDemand[hours];
        for (var k = 0; k < hours; k++)
        {
            var (from, to) = PlannerSignal.WindowSteps(k);
            var forecastMax = double.NegativeInfinity;
            for (var h = from; h < to; h++)
            {
                forecastMax = Math.Max(forecastMax, point[h]);
            }

            result[k] = excessPerHour[k].Length == 0
                ? new HourlyDemand(k, Math.Max(0.0, forecastMax), Math.Max(0.0, forecastMax))
                : Summarise(k, (double[])excessPerHour[k].Clone(), forecastMax, upperQuantile);
        }

        return result;
    }

    private static HourlyDemand Summarise(int hour, double[] samples, double offset, double upperQuantile)
    {
        var median = Math.Max(0.0, offset + Stats.QuantileInPlace(samples, 0.5));
        var upper = Math.Max(median, offset + Stats.QuantileInPlace(samples, upperQuantile));
        return new HourlyDemand(hour, median, upper);
    }
}
