namespace SageServe.Grains.Domain;

/// <summary>What the control plane decided for one request. Persisted: values explicit, append-only.</summary>
public enum RouteOutcome
{
    /// <summary>Send the request to <see cref="RouteDecision.InstanceKey"/>.</summary>
    Routed = 0,

    /// <summary>Refused; <see cref="RouteDecision.Reason"/> says why.</summary>
    Rejected = 1,

    /// <summary>NIW accepted into the durable queue; released to an instance later.</summary>
    Queued = 2,

    /// <summary>
    /// Serve it in <see cref="RouteDecision.Region"/> instead (the plan spills part of this region's load there):
    /// send it to that region's <c>RouteForwardedAsync</c>.
    /// </summary>
    Forward = 3,
}

/// <summary>The routing decision for one request.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Outcome">Routed, queued or rejected.</param>
/// <param name="Region">The serving region (may differ from the home region after a spill).</param>
/// <param name="InstanceKey">The model instance grain key when routed.</param>
/// <param name="Reason">Why, when rejected (or why spilled).</param>
public readonly record struct RouteDecision(long RequestId, RouteOutcome Outcome, RegionId Region, string? InstanceKey, string? Reason)
{
    /// <summary>A routed decision.</summary>
    public static RouteDecision To(long requestId, RegionId region, string instanceKey) => new(requestId, RouteOutcome.Routed, region, instanceKey, null);

    /// <summary>A rejection with its reason.</summary>
    public static RouteDecision Reject(long requestId, RegionId region, string reason) => new(requestId, RouteOutcome.Rejected, region, null, reason);
}
