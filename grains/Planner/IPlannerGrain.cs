using SageServe.Runtime;

namespace SageServe.Grains.Planner;

/// <summary>
/// The cluster's planner (one grain, key <c>cluster</c>): wakes on a timer, collects per-minute traffic from the
/// regions, forecasts each (model, home region) series, turns the forecast into instance targets and sends them to the
/// regions, which carry them out through their VM pools.
/// </summary>
public interface IPlannerGrain : IGrainWithStringKey
{
    /// <summary>Activates the planner (its timer starts); returns the number of plans made so far.</summary>
    ValueTask<int> StartAsync(int unused);

    /// <summary>Plans now (a control operation); returns what was decided.</summary>
    ValueTask<IReadOnlyList<RegionPlan>> PlanNowAsync(int unused);
}

/// <summary>Calls <see cref="IPlannerGrain"/> through the runtime (what Orleans would generate).</summary>
public sealed class PlannerGrainReference(GrainReference reference) : IPlannerGrain
{
    private static readonly CallDescriptor s_start = CallDescriptor.For<IPlannerGrain>(nameof(IPlannerGrain.StartAsync));
    private static readonly CallDescriptor s_plan = CallDescriptor.For<IPlannerGrain>(nameof(IPlannerGrain.PlanNowAsync));

    /// <inheritdoc />
    public ValueTask<int> StartAsync(int unused) => reference.InvokeAsync(s_start, unused, static (IPlannerGrain g, int u) => g.StartAsync(u));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegionPlan>> PlanNowAsync(int unused) =>
        reference.InvokeAsync(s_plan, unused, static (IPlannerGrain g, int u) => g.PlanNowAsync(u));
}
