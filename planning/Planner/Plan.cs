using SageServe.Planning.Solver;

namespace SageServe.Planning.Planner;

/// <summary>
/// The planner's output for a horizon: instances per (model, region, configuration, hour) with adds and removes,
/// interactive routing, NIW allocation, solve statistics, and why each change was made.
/// </summary>
public sealed record Plan
{
    /// <summary>How the plan was obtained.</summary>
    public required PlanStatus Status { get; init; }

    /// <summary>True when no solution was found and this is the previous plan or the current state.</summary>
    public bool Fallback => Status == PlanStatus.Fallback;

    /// <summary>One-paragraph summary: which formulation, solver status, and for a fallback the reason.</summary>
    public required string Explanation { get; init; }

    /// <summary>Planned hours (1..<see cref="Hours"/>).</summary>
    public required int Hours { get; init; }

    /// <summary>Instances per (model, region, configuration, hour); entries with no instances and no change are omitted.</summary>
    public required IReadOnlyList<InstanceTarget> Instances { get; init; }

    /// <summary>Nonzero interactive load per (model, home → serving region, hour), including load kept at home.
    /// Empty for a fallback or the reference formulation: every region serves its own traffic.</summary>
    public IReadOnlyList<RoutedLoad> Routing { get; init; } = [];

    /// <summary>Nonzero NIW load served per (model, region, hour).</summary>
    public IReadOnlyList<NiwAllocation> Niw { get; init; } = [];

    /// <summary>One human-readable line per change, e.g. "+2 A@westus a100-80gb/tp8 at h1: …".</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>Objective value in USD over the horizon (GPU cost + start-up + routing + change penalties); NaN for a fallback.</summary>
    public double ObjectiveUsd { get; init; } = double.NaN;

    /// <summary>Relative gap of the solution (0 when proven optimal or closed form; NaN for a fallback).</summary>
    public double Gap { get; init; } = double.NaN;

    /// <summary>The solver's status, or null when no solver ran (closed form, solver unavailable).</summary>
    public MipStatus? SolverStatus { get; init; }

    /// <summary>Time spent solving (model building plus solver).</summary>
    public TimeSpan SolveTime { get; init; }

    /// <summary>Columns of the MIP (0 when none was built).</summary>
    public int Variables { get; init; }

    /// <summary>Integer columns of the MIP.</summary>
    public int IntegerVariables { get; init; }

    /// <summary>Rows of the MIP.</summary>
    public int Constraints { get; init; }

    /// <summary>Planned instances of <paramref name="model"/> in <paramref name="region"/> during <paramref name="hour"/>, over all configurations.</summary>
    public int InstancesAt(string model, string region, int hour) =>
        Instances.Where(e => e.Model == model && e.Region == region && e.Hour == hour).Sum(e => e.Count);

    /// <summary>Planned instances of one configuration during <paramref name="hour"/>.</summary>
    public int InstancesAt(string model, string region, string sku, int tensorParallel, int hour) =>
        Instances.Where(e => e.Model == model && e.Region == region && e.Sku == sku && e.TensorParallel == tensorParallel && e.Hour == hour)
            .Sum(e => e.Count);

    /// <summary>Interactive load of <paramref name="model"/> from <paramref name="fromRegion"/> served in <paramref name="toRegion"/> during <paramref name="hour"/>.</summary>
    public double RoutedAt(string model, string fromRegion, string toRegion, int hour) =>
        Routing.Where(e => e.Model == model && e.FromRegion == fromRegion && e.ToRegion == toRegion && e.Hour == hour).Sum(e => e.Load);

    /// <summary>NIW load of <paramref name="model"/> served in <paramref name="region"/> during <paramref name="hour"/>.</summary>
    public double NiwAt(string model, string region, int hour) =>
        Niw.Where(e => e.Model == model && e.Region == region && e.Hour == hour).Sum(e => e.Load);

    /// <summary>Total instance-hours over the horizon.</summary>
    public int InstanceHours => Instances.Sum(e => e.Count);
}
