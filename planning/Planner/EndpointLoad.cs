using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Planner;

/// <summary>
/// Forecast interactive load of a model from one home region in one planned hour: the upper quantile of the peak
/// over the hour's planning window (see <see cref="PlannerSignal"/>), in the problem's load unit.
/// </summary>
/// <param name="Model">Model.</param>
/// <param name="Region">Home region of the traffic.</param>
/// <param name="Hour">Planned hour, 1 = the first hour of the horizon.</param>
/// <param name="Load">Load (e.g. prompt tokens/s); entries for the same key add up.</param>
public sealed record EndpointLoad(string Model, string Region, int Hour, double Load)
{
    /// <summary>
    /// The planner inputs of one (model, home region) series from <see cref="PlannerSignal.Hourly"/>: per hour, the
    /// upper quantile (or the point forecast) of prompt tokens per minute, converted to prompt tokens per second.
    /// </summary>
    /// <param name="model">Model.</param>
    /// <param name="region">Home region.</param>
    /// <param name="hours">The hourly signal; <see cref="HourlyDemand.HourIndex"/> 0 becomes planned hour 1.</param>
    /// <param name="useUpperQuantile">Plan against the upper quantile (default) rather than the point forecast.</param>
    public static IReadOnlyList<EndpointLoad> FromSignal(string model, string region, IEnumerable<HourlyDemand> hours, bool useUpperQuantile = true)
    {
        ArgumentNullException.ThrowIfNull(hours);
        return [.. hours.Select(h => new EndpointLoad(
            model,
            region,
            h.HourIndex + 1,
            Math.Max(0.0, useUpperQuantile ? h.UpperPromptTokensPerMinute : h.PointPromptTokensPerMinute) / 60.0))];
    }
}
