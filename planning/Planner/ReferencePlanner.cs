using System.Diagnostics;

namespace SageServe.Planning.Planner;

/// <summary>
/// The SageServe paper code's planner, used by LT-I / LT-U / LT-UA: separable per (model, region, hour), so its
/// ILP collapses to n = max(floor, ⌈forecast / capacity⌉) on one configuration. Ignores routing, NIW, quotas,
/// start-up and change costs.
/// </summary>
/// <remarks>
/// With several configurations for a model, the one with the lowest price per unit of capacity is used (first
/// wins ties); instances of the other configurations are removed.
/// </remarks>
public static class ReferencePlanner
{
    // Forecasts within this relative distance above a multiple of the capacity round down (floating-point noise).
    private const double RoundingTolerance = 1e-9;

    /// <summary>Computes the reference plan in closed form.</summary>
    /// <exception cref="ArgumentException">The problem is malformed.</exception>
    public static Plan Solve(PlanningProblem problem)
    {
        var stopwatch = Stopwatch.StartNew();
        var index = new PlanningIndex(problem);
        var floor = problem.FloorPerEndpoint;
        var counts = new int[index.Regions.Length, index.Configs.Length, index.Hours];
        var cost = 0.0;
        for (var i = 0; i < index.Models.Length; i++)
        {
            var chosen = index.ConfigsOf[i].MinBy(c => index.Configs[c].UsdPerHour / index.Configs[c].CapacityPerInstance);
            var config = index.Configs[chosen];
            for (var j = 0; j < index.Regions.Length; j++)
            {
                for (var t = 0; t < index.Hours; t++)
                {
                    var ratio = index.Demand[i, j, t] / config.CapacityPerInstance;
                    var n = Math.Max(floor, (int)Math.Ceiling(ratio - (RoundingTolerance * Math.Max(1.0, ratio))));
                    counts[j, chosen, t] = n;
                    cost += n * config.UsdPerHour;
                }
            }
        }

        var plan = PlanAssembler.Build(index, counts, null, null, PlanStatus.Optimal,
            "reference formulation (separable per model and region): max(floor, ceil(forecast / capacity))");
        return plan with { ObjectiveUsd = cost, Gap = 0.0, SolveTime = stopwatch.Elapsed };
    }
}
