using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>
/// A trace of the past as the planner reads it: per-minute interactive prompt tokens of each (home region, model),
/// every series padded to the trace's length so the trace's end is the same "now" for all of them.
/// </summary>
public static class PlannerHistory
{
    /// <summary>The series of <paramref name="requests"/>, keyed and ordered by (region, model); empty when there are none.</summary>
    public static SortedDictionary<(string Region, string Model), List<double>> PerMinute(IEnumerable<InferenceRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var series = new SortedDictionary<(string Region, string Model), List<double>>();
        foreach (var request in requests)
        {
            var key = (request.HomeRegion.Name, request.Model.Name);
            if (!series.TryGetValue(key, out var minutes))
            {
                minutes = [];
                series.Add(key, minutes);
            }

            var minute = (int)request.Arrival.TotalMinutes;
            while (minutes.Count <= minute)
            {
                minutes.Add(0);
            }

            if (request.Tier == Tier.Interactive)
            {
                minutes[minute] += request.PromptTokens;
            }
        }

        if (series.Count > 0)
        {
            var length = series.Values.Max(m => m.Count);
            foreach (var minutes in series.Values)
            {
                minutes.AddRange(Enumerable.Repeat(0.0, length - minutes.Count));
            }
        }

        return series;
    }
}
