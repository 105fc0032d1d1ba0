using SageServe.Grains.Domain;
using SageServe.Runtime;

namespace SageServe.Grains.Regions;

/// <summary>
/// One region's control point (key: the region name): picks an instance for each request, tracks each instance's
/// pending tokens, and accounts every request that arrived here.
/// </summary>
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Decides where <paramref name="request"/> goes (it arrives at its home region).</summary>
    ValueTask<RouteDecision> RouteAsync(InferenceRequest request);

    /// <summary>A request another region forwarded here (already counted there): route it to a local instance.</summary>
    ValueTask<RouteDecision> RouteForwardedAsync(InferenceRequest request);

    /// <summary>
    /// An instance reports finished requests, freeing their pending tokens. Interleaves: it only books numbers, and
    /// an instance may report while this region awaits that instance (releasing queued NIW work to it).
    /// </summary>
    [AlwaysInterleave]
    ValueTask ReportCompletionsAsync(CompletionReport report);

    /// <summary>
    /// Operator drain: the instance takes no new requests, finishes what it holds, then its VM is donated; the floor
    /// rule starts a replacement if the pool drops below it. False when the instance is unknown or not serving.
    /// </summary>
    ValueTask<bool> DrainInstanceAsync(string instanceKey);

    /// <summary>
    /// A VM grain loaded (serving) or unloaded (not serving) the model of an instance it hosts: the instance enters or
    /// leaves service (an unknown instance of a model deployed here joins the model's first pool). False when the
    /// instance is not of this region or its model is not deployed here. Interleaves: it only flips a slot, and a VM
    /// may call while this region awaits an instance that awaits the VM.
    /// </summary>
    [AlwaysInterleave]
    ValueTask<bool> SetInstanceServingAsync(InstanceAvailability availability);

    /// <summary>The planner takes the per-minute traffic completed since its last call.</summary>
    ValueTask<IReadOnlyList<Planner.ModelTraffic>> DrainTrafficAsync(int unused);

    /// <summary>The planner's targets for the coming hour.</summary>
    ValueTask ApplyPlanAsync(Planner.RegionPlan plan);

    /// <summary>Counters and loads; may run while a routing turn is in progress.</summary>
    [AlwaysInterleave]
    ValueTask<RegionSnapshot> GetSnapshotAsync(int unused);
}

/// <summary>Requests an instance finished (or refused after routing) since its last report.</summary>
/// <param name="InstanceKey">The reporting instance.</param>
/// <param name="Completed">How many finished.</param>
/// <param name="TokensFreed">Prompt + output tokens of the finished and refused requests.</param>
/// <param name="InteractiveTokensFreed">The interactive part of <paramref name="TokensFreed"/>.</param>
/// <param name="Rejected">How many it refused after they were routed to it.</param>
/// <param name="RejectionReason">Why, when <paramref name="Rejected"/> &gt; 0.</param>
public readonly record struct CompletionReport(string InstanceKey, int Completed, long TokensFreed, long InteractiveTokensFreed = 0, int Rejected = 0, string? RejectionReason = null);

/// <summary>An instance entering (<paramref name="Serving"/>) or leaving service because its VM loaded or unloaded it.</summary>
/// <param name="InstanceKey">The instance (<c>region/model/index</c>).</param>
/// <param name="Serving">Routable from now on, or not.</param>
public readonly record struct InstanceAvailability(string InstanceKey, bool Serving);

/// <summary>A region's counters.</summary>
/// <param name="Region">The region.</param>
/// <param name="Arrived">Requests that arrived here.</param>
/// <param name="Routed">Requests routed to an instance.</param>
/// <param name="Rejected">Requests refused, by reason.</param>
/// <param name="Completed">Requests its instances finished.</param>
/// <param name="PendingTokensByInstance">Pending tokens per instance key (instances in service, starting or draining).</param>
/// <param name="NiwQueued">NIW requests waiting in the queue.</param>
/// <param name="NiwOverdue">Of those, how many are past their deadline.</param>
public sealed record RegionSnapshot(
    RegionId Region,
    long Arrived,
    long Routed,
    IReadOnlyDictionary<string, long> Rejected,
    long Completed,
    IReadOnlyDictionary<string, long> PendingTokensByInstance,
    int NiwQueued = 0,
    int NiwOverdue = 0);
