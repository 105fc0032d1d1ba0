using System.Globalization;
using System.Text;
using SageServe.Grains.Domain;
using SageServe.Planning.Forecasting;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Experiments;

/// <summary>
/// Out-of-sample forecast quality on the generated workload itself: the interactive prompt tokens per minute of
/// every (home region, model) series over a generated week, scored by rolling origin (fit on the past only, forecast
/// the next hour, every <c>stride</c>) for each forecaster. What <c>sageserve bench forecast --workload</c> prints.
/// </summary>
public static class ForecastQuality
{
    /// <summary>The per-minute series of a generated workload, keyed "region/model".</summary>
    public static IReadOnlyDictionary<string, double[]> Series(SyntheticWorkloadOptions options)
    {
        var minutes = (int)Math.Ceiling(options.Duration.TotalMinutes);
        var series = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var request in new SyntheticWorkloadGenerator(options).Generate())
        {
            if (request.Tier != Tier.Interactive)
            {
                continue;
            }

            var key = $"{request.HomeRegion}/{request.Model}";
            if (!series.TryGetValue(key, out var values))
            {
                values = new double[minutes];
                series.Add(key, values);
            }

            values[(int)Math.Min(minutes - 1, request.Arrival.TotalMinutes)] += request.PromptTokens;
        }

        return series;
    }

    /// <summary>Scores each forecaster on each series; returns a table.</summary>
    public static string Report(IReadOnlyDictionary<string, double[]> series, IReadOnlyList<IForecaster> forecasters, TimeSpan stride, TimeSpan warmUp)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var options = new RollingOriginOptions { WarmUp = warmUp, OriginStride = stride };
        text.AppendLine(culture, $"Out-of-sample MAPE of the next-hour peak (window [t+20, t+60] min) and per minute; origins every {stride.TotalHours:0.#} h after a {warmUp.TotalDays:0.#}-day warm-up");
        text.Append(culture, $"{"series",-16} ").AppendLine(string.Join(" ", forecasters.Select(f => string.Create(culture, $"{f.Name,22}"))));
        var sums = new double[forecasters.Count, 2];
        foreach (var (name, values) in series)
        {
            var cells = new List<string>();
            for (var i = 0; i < forecasters.Count; i++)
            {
                var r = ForecastEvaluation.RollingOrigin(forecasters[i], values, options);
                sums[i, 0] += r.HourlyMaxMapePercent;
                sums[i, 1] += r.MinuteMapePercent;
                cells.Add(string.Create(culture, $"{r.HourlyMaxMapePercent,9:F1}% / {r.MinuteMapePercent,6:F1}%  "));
            }

            text.Append(culture, $"{name,-16} ").AppendLine(string.Join(" ", cells));
        }

        text.Append(culture, $"{"mean",-16} ").AppendLine(string.Join(" ", Enumerable.Range(0, forecasters.Count).Select(i =>
            string.Create(culture, $"{sums[i, 0] / series.Count,9:F1}% / {sums[i, 1] / series.Count,6:F1}%  "))));
        text.AppendLine("(each cell: hourly-peak MAPE / per-minute MAPE)");
        return text.ToString();
    }
}
