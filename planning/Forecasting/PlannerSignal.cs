namespace SageServe.Planning.Forecasting;

/// <summary>
/// Turns a per-minute forecast into the planner's hourly input (SPEC §4): for hour k, the maximum of the traffic over
/// minutes [60k + 20, 60k + 60) after the forecast origin. The first 20 minutes are skipped because capacity ordered
/// now is not ready before then; the maximum makes the plan cover the hour's peak rather than its mean.
/// </summary>
/// <remarks>
/// <see cref="Hourly"/> uses the forecaster's own distribution of the window maximum
/// (<see cref="Forecast.PlannerHours"/>) when it supplies one, and otherwise — like the reference — the maximum of
/// the per-minute point and upper series (<see cref="HourlyFromMinutes"/>).
/// </remarks>
public static class PlannerSignal
{
    /// <summary>Offset of the window start from each hour's start.</summary>
    public static TimeSpan WindowStart { get; } = TimeSpan.FromMinutes(20);

    /// <summary>Offset of the (exclusive) window end from each hour's start.</summary>
    public static TimeSpan WindowEnd { get; } = TimeSpan.FromMinutes(60);

    /// <summary>Forecast steps needed to produce <paramref name="hours"/> hourly values.</summary>
    /// <param name="hours">Planning horizon in hours, ≥ 1.</param>
    public static int StepsFor(int hours) => hours * 60;

    /// <summary>
    /// Hourly planner inputs for the first <paramref name="hours"/> hours of <paramref name="forecast"/>: the
    /// forecaster's window-maximum distribution when it has one for every hour, else <see cref="HourlyFromMinutes"/>.
    /// </summary>
    /// <param name="forecast">A forecast starting at the origin; needs at least <see cref="StepsFor"/> steps.</param>
    /// <param name="hours">Planning horizon in hours, ≥ 1 (the planner's default is 4).</param>
    /// <exception cref="ArgumentException">The forecast is too short or <paramref name="hours"/> is not positive.</exception>
    public static IReadOnlyList<HourlyDemand> Hourly(Forecast forecast, int hours)
    {
        var fromMinutes = HourlyFromMinutes(forecast, hours);
        return forecast.PlannerHours is { } planned && planned.Count >= hours ? planned.Take(hours).ToArray() : fromMinutes;
    }

    /// <summary>Per hour, the maximum over the planning window of the per-minute point and of the per-minute upper band.</summary>
    /// <param name="forecast">A forecast starting at the origin; needs at least <see cref="StepsFor"/> steps.</param>
    /// <param name="hours">Planning horizon in hours, ≥ 1.</param>
    /// <exception cref="ArgumentException">The forecast is too short or <paramref name="hours"/> is not positive.</exception>
    public static IReadOnlyList<HourlyDemand> HourlyFromMinutes(Forecast forecast, int hours)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        if (hours <= 0)
        {
            throw new ArgumentException($"hours must be positive, got {hours}.", nameof(hours));
        }

        if (forecast.Steps < StepsFor(hours))
        {
            throw new ArgumentException(
                $"A {hours}-hour planner signal needs {StepsFor(hours)} forecast minutes, got {forecast.Steps}.", nameof(forecast));
        }

        var result = new HourlyDemand[hours];
        for (var k = 0; k < hours; k++)
        {
            var (from, to) = WindowSteps(k);
            var point = double.NegativeInfinity;
            var upper = double.NegativeInfinity;
            for (var i = from; i < to; i++)
            {
                point = Math.Max(point, forecast.Point[i]);
                upper = Math.Max(upper, forecast.Upper[i]);
            }

            result[k] = new HourlyDemand(k, point, upper);
        }

        return result;
    }

    /// <summary>Maximum of <paramref name="minutes"/> over hour <paramref name="hourIndex"/>'s planning window
    /// (index 0 = first minute after the origin), for scoring forecasts against actuals the same way.</summary>
    /// <exception cref="ArgumentException">The series is shorter than the window.</exception>
    public static double WindowMax(ReadOnlySpan<double> minutes, int hourIndex = 0)
    {
        var (from, to) = WindowSteps(hourIndex);
        if (minutes.Length < to)
        {
            throw new ArgumentException($"Hour {hourIndex}'s window needs {to} minutes, got {minutes.Length}.", nameof(minutes));
        }

        var max = double.NegativeInfinity;
        for (var i = from; i < to; i++)
        {
            max = Math.Max(max, minutes[i]);
        }

        return max;
    }

    /// <summary>Zero-based forecast step range [From, To) of hour <paramref name="hourIndex"/>'s planning window.</summary>
    internal static (int From, int To) WindowSteps(int hourIndex) =>
        ((hourIndex * 60) + (int)WindowStart.TotalMinutes, (hourIndex * 60) + (int)WindowEnd.TotalMinutes);
}
