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

        SortedDictionary<(string Region, string Model), List<double>> series;
        try
        {
            series = PlannerHistory.PerMinute(TraceTool.Read(path, TraceTool.DetectFormat(path)));
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

        return (region, model) => series.TryGetValue((region.Name, model.Name), out var minutes) ? minutes : [];
    }
}
