using SageServe.Grains.Domain;
using SageServe.Simulation.Workloads;

namespace SageServe.Silo.Hosting;

/// <summary>
/// The planner's warm-up history from a trace of the past (<c>--planner-history</c>): per-minute interactive prompt
/// tokens of each (home region, model), every series as long as the trace, its end taken as "now" — as
/// <c>sageserve plan --history</c> reads it. Without it a fresh live planner keeps the fleet until traffic arrives.
/// </summary>
public static class PlannerWarmUp
{
    /// <summary>Reads <paramref name="path"/> (SageServe CSV, Azure CSV or Mooncake JSONL, by its name and header).</summary>
    /// <exception cref="SiloOptionException">The file is missing, malformed (file:line:field) or holds no requests.</exception>
    public static Func<RegionId, ModelId, IReadOnlyList<double>> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new SiloOptionException("--planner-history", $"file not found: {path}");
        }

        var series = new Dictionary<(string Region, string Model), List<double>>();
        try
        {
            foreach (var request in TraceTool.Read(path, TraceTool.DetectFormat(path)))
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
        }
        catch (TraceFormatException e)
        {
            throw new SiloOptionException("--planner-history", e.Message);
        }
        catch (ArgumentException e)
        {
            throw new SiloOptionException("--planner-history", $"{path}: {e.Message}");
        }

        if (series.Count == 0)
        {
            throw new SiloOptionException("--planner-history", $"{path} holds no requests");
        }

        // Every series ends at the trace's end, so "now" is the same minute for all of them.
        var length = series.Values.Max(m => m.Count);
        foreach (var minutes in series.Values)
        {
            minutes.AddRange(Enumerable.Repeat(0.0, length - minutes.Count));
        }

        return (region, model) => series.TryGetValue((region.Name, model.Name), out var minutes) ? minutes : [];
    }
}
