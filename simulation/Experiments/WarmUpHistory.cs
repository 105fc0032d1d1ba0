using SageServe.Grains.Domain;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Experiments;

/// <summary>
/// The planner's history before a synthetic run starts: the interactive prompt tokens per minute of each
/// (home region, model) on the previous day(s), generated with an independent seed (so the forecasts are out of
/// sample: they never see the replayed day).
/// </summary>
public static class WarmUpHistory
{
    /// <summary>Generates <paramref name="days"/> days before <paramref name="options"/>' start and aggregates them.</summary>
    public static Func<RegionId, ModelId, IReadOnlyList<double>> Before(SyntheticWorkloadOptions options, int days = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var before = options with
        {
            Seed = unchecked(options.Seed * 7919 + 104_729),
            Duration = TimeSpan.FromDays(days),
            StartDay = (DayOfWeek)(((int)options.StartDay - days % 7 + 7) % 7),
            BurstCopies = options.BurstCopies,
        };
        var minutes = days * 24 * 60;
        var series = new Dictionary<(RegionId, ModelId), double[]>();
        foreach (var request in new SyntheticWorkloadGenerator(before).Generate())
        {
            if (request.Tier != Tier.Interactive)
            {
                continue;
            }

            var key = (request.HomeRegion, request.Model);
            if (!series.TryGetValue(key, out var values))
            {
                values = new double[minutes];
                series.Add(key, values);
            }

            var minute = (int)Math.Min(minutes - 1, request.Arrival.TotalMinutes);
            values[minute] += request.PromptTokens;
        }

        return (region, model) => series.TryGetValue((region, model), out var values) ? values : [];
    }
}
