namespace SageServe.Planning.Planner;

/// <summary>The plan used when the ILP gives none: the previous plan shifted one hour, else the current instances held.</summary>
internal static class PlanFallback
{
    public static Plan Create(PlanningIndex index, string reason)
    {
        var counts = new int[index.Regions.Length, index.Configs.Length, index.Hours];
        var previous = index.Problem.Previous;
        for (var j = 0; j < index.Regions.Length; j++)
        {
            for (var c = 0; c < index.Configs.Length; c++)
            {
                var config = index.Configs[c];
                for (var t = 0; t < index.Hours; t++)
                {
                    // The previous plan was solved an hour ago: its hour h + 1 is our hour h; past its end, hold its last hour.
                    counts[j, c, t] = previous is null || previous.Hours < 1
                        ? index.CurrentCount[j, c]
                        : previous.InstancesAt(config.Model, index.Regions[j], config.Sku, config.TensorParallel, Math.Min(t + 2, previous.Hours));
                }
            }
        }

        var source = previous is null || previous.Hours < 1
            ? "holding the current instances"
            : "keeping the previous plan (shifted one hour)";
        return PlanAssembler.Build(index, counts, null, null, PlanStatus.Fallback,
            $"fallback: {reason}; {source}; the reactive layer covers any shortfall");
    }
}
