namespace SageServe.Planning.Forecasting;

/// <summary>Argument checks and output finishing shared by every forecaster.</summary>
internal static class ForecastGuard
{
    public static void Validate(ReadOnlySpan<double> history, int stepsAhead, double upperQuantile)
    {
        if (history.IsEmpty)
        {
            throw new ArgumentException("History is empty; at least one minute of traffic is needed to forecast.", nameof(history));
        }

        for (var i = 0; i < history.Length; i++)
        {
            if (!double.IsFinite(history[i]))
            {
                throw new ArgumentException(
                    $"History value at index {i} is {history[i]}; every minute must be a finite number (fill gaps before forecasting).",
                    nameof(history));
            }
        }

        if (stepsAhead <= 0)
        {
            throw new ArgumentException($"stepsAhead must be positive, got {stepsAhead}.", nameof(stepsAhead));
        }

        if (!(upperQuantile >= 0.5 && upperQuantile < 1.0))
        {
            throw new ArgumentException($"upperQuantile must be in [0.5, 1), got {upperQuantile}.", nameof(upperQuantile));
        }
    }

    /// <summary>
    /// Traffic cannot be negative, so both series are clamped at zero; the band is forced to stay at or above the
    /// point so the planner never plans below its own best guess.
    /// </summary>
    public static Forecast Finish(double[] point, double[] upper, double upperQuantile, IReadOnlyList<HourlyDemand>? plannerHours = null)
    {
        for (var i = 0; i < point.Length; i++)
        {
            var p = double.IsFinite(point[i]) ? Math.Max(0.0, point[i]) : 0.0;
            var u = double.IsFinite(upper[i]) ? Math.Max(p, upper[i]) : p;
            point[i] = p;
            upper[i] = u;
        }

        return new Forecast(point, upper, upperQuantile) { PlannerHours = plannerHours };
    }

    /// <summary>Forecast for a series with no variation: repeat the value, band equal to it.</summary>
    public static Forecast Flat(double value, int stepsAhead, double upperQuantile)
    {
        var point = new double[stepsAhead];
        Array.Fill(point, value);
        return Finish(point, (double[])point.Clone(), upperQuantile);
    }

    public static bool IsConstant(ReadOnlySpan<double> values)
    {
        var first = values[0];
        var tolerance = 1e-12 * Math.Max(1.0, Math.Abs(first));
        foreach (var v in values)
        {
            if (Math.Abs(v - first) > tolerance)
            {
                return false;
            }
        }

        return true;
    }
}
