using SageServe.Grains.Domain;
using SageServe.Grains.Observability;

namespace SageServe.Grains.Tests.Regions;

/// <summary>Records every outcome per request id, so a test can prove nothing was lost or double-counted.</summary>
internal sealed class CountingObserver : IRequestObserver
{
    public Dictionary<long, string> Final { get; } = [];

    public HashSet<long> Arrived { get; } = [];

    public List<string> Events { get; } = [];

    public Dictionary<long, RequestCompletion> Completions { get; } = [];

    public void OnArrived(InferenceRequest request, DateTimeOffset at)
    {
        Assert.True(Arrived.Add(request.Id), $"request {request.Id} arrived twice");
        Events.Add($"{at:O} arrive {request.Id}");
    }

    public void OnRouted(InferenceRequest request, RouteDecision decision, DateTimeOffset at) =>
        Events.Add($"{at:O} route {request.Id} -> {decision.InstanceKey}");

    public void OnRejected(InferenceRequest request, string reason, DateTimeOffset at)
    {
        Final.Add(request.Id, $"rejected: {reason}");
        Events.Add($"{at:O} reject {request.Id}: {reason}");
    }

    public void OnCompleted(in RequestCompletion completion)
    {
        Final.Add(completion.Request.Id, "completed");
        Completions.Add(completion.Request.Id, completion);
        Events.Add($"{completion.CompletedAt:O} complete {completion.Request.Id} on {completion.InstanceKey}");
    }
}
