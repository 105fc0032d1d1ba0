using SageServe.Grains.Domain;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Interactive prompt tokens that actually arrived per (home region, model), as the planner counts its history: a
/// running total and per-clock-minute buckets (the last few hours). Fed from grain turns of every region at once, so
/// it takes a lock; each call does a handful of dictionary operations.
/// </summary>
public sealed class ObservedTraffic
{
    private static readonly TimeSpan s_kept = TimeSpan.FromHours(6);
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Region, string Model), Series> _series = [];

    /// <summary>Counts an interactive arrival of <paramref name="promptTokens"/> at <paramref name="at"/>.</summary>
    public void Record(RegionId region, ModelId model, DateTimeOffset at, double promptTokens)
    {
        var minute = MinuteOf(at);
        lock (_gate)
        {
            if (!_series.TryGetValue((region.Name, model.Name), out var series))
            {
                series = new Series();
                _series.Add((region.Name, model.Name), series);
            }

            series.Total += promptTokens;
            series.Minutes[minute] = series.Minutes.GetValueOrDefault(minute) + promptTokens;
            if (series.Minutes.Count > s_kept.TotalMinutes + 1)
            {
                series.Minutes.Remove(series.Minutes.Keys.Min());
            }
        }
    }

    /// <summary>Running totals of every series seen so far (a baseline for <see cref="Since"/>).</summary>
    public IReadOnlyDictionary<(string Region, string Model), double> Totals()
    {
        lock (_gate)
        {
            return _series.ToDictionary(p => p.Key, p => p.Value.Total);
        }
    }

    /// <summary>
    /// What arrived for (<paramref name="region"/>, <paramref name="model"/>) since the <paramref name="baseline"/> taken
    /// at <paramref name="from"/>: the tokens, and the busiest clock minute from <paramref name="from"/>'s minute on
    /// (that first minute may hold a few tokens from just before).
    /// </summary>
    public (double PromptTokens, double PeakPromptTokensPerMinute) Since(
        string region, string model, DateTimeOffset from, IReadOnlyDictionary<(string Region, string Model), double> baseline)
    {
        var first = MinuteOf(from);
        lock (_gate)
        {
            if (!_series.TryGetValue((region, model), out var series))
            {
                return (0, 0);
            }

            var peak = series.Minutes.Where(m => m.Key >= first).Select(m => m.Value).DefaultIfEmpty(0).Max();
            return (series.Total - baseline.GetValueOrDefault((region, model)), peak);
        }
    }

    private static long MinuteOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerMinute;

    private sealed class Series
    {
        public double Total { get; set; }

        public Dictionary<long, double> Minutes { get; } = [];
    }
}
