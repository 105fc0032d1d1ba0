using SageServe.Grains.Domain;
using SageServe.Runtime;

namespace SageServe.Grains.Regions;

/// <summary>Calls <see cref="IRegionGrain"/> through the runtime (what Orleans would generate).</summary>
public sealed class RegionGrainReference(GrainReference reference) : IRegionGrain
{
    private static readonly CallDescriptor s_route = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.RouteAsync));
    private static readonly CallDescriptor s_forwarded = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.RouteForwardedAsync));
    private static readonly CallDescriptor s_report = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.ReportCompletionsAsync));
    private static readonly CallDescriptor s_drainInstance = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.DrainInstanceAsync));
    private static readonly CallDescriptor s_serving = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.SetInstanceServingAsync));
    private static readonly CallDescriptor s_drain = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.DrainTrafficAsync));
    private static readonly CallDescriptor s_plan = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.ApplyPlanAsync));
    private static readonly CallDescriptor s_snapshot = CallDescriptor.For<IRegionGrain>(nameof(IRegionGrain.GetSnapshotAsync));

    /// <inheritdoc />
    public ValueTask<RouteDecision> RouteAsync(InferenceRequest request) =>
        reference.InvokeAsync(s_route, request, static (IRegionGrain g, InferenceRequest r) => g.RouteAsync(r));

    /// <inheritdoc />
    public ValueTask<RouteDecision> RouteForwardedAsync(InferenceRequest request) =>
        reference.InvokeAsync(s_forwarded, request, static (IRegionGrain g, InferenceRequest r) => g.RouteForwardedAsync(r));

    /// <inheritdoc />
    public ValueTask ReportCompletionsAsync(CompletionReport report) =>
        reference.InvokeAsync(s_report, report, static (IRegionGrain g, CompletionReport r) => g.ReportCompletionsAsync(r));

    /// <inheritdoc />
    public ValueTask<bool> DrainInstanceAsync(string instanceKey) =>
        reference.InvokeAsync(s_drainInstance, instanceKey, static (IRegionGrain g, string k) => g.DrainInstanceAsync(k));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Planner.ModelTraffic>> DrainTrafficAsync(int unused) =>
        reference.InvokeAsync(s_drain, unused, static (IRegionGrain g, int u) => g.DrainTrafficAsync(u));

    /// <inheritdoc />
    public ValueTask ApplyPlanAsync(Planner.RegionPlan plan) =>
        reference.InvokeAsync(s_plan, plan, static (IRegionGrain g, Planner.RegionPlan p) => g.ApplyPlanAsync(p));

    /// <inheritdoc />
    public ValueTask<RegionSnapshot> GetSnapshotAsync(int unused) =>
        reference.InvokeAsync(s_snapshot, unused, static (IRegionGrain g, int u) => g.GetSnapshotAsync(u));

    /// <inheritdoc />
    public ValueTask<bool> SetInstanceServingAsync(InstanceAvailability availability) =>
        reference.InvokeAsync(s_serving, availability, static (IRegionGrain g, InstanceAvailability a) => g.SetInstanceServingAsync(a));
}
