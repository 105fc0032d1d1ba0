using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Routing;
using SageServe.Runtime;

namespace SageServe.Grains.Regions;

/// <summary>
/// Routes the requests whose home is this region to one of its instances (least pending tokens) and keeps the
/// books: arrived = routed + rejected, and routed work stays pending until its instance reports it complete.
/// </summary>
public sealed class RegionGrain : Grain, IRegionGrain
{
    private readonly ControlPlaneServices _services;
    private readonly RegionId _region;
    private readonly Dictionary<ModelId, Endpoint> _endpoints = [];
    private readonly Dictionary<string, (Endpoint Endpoint, int Index)> _byInstance = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _arrived;
    private long _routed;
    private long _completed;

    /// <summary>Creates the grain (by the runtime).</summary>
    public RegionGrain(ControlPlaneServices services)
    {
        _services = services;
        _region = new RegionId(Key);
        foreach (var deployment in services.Topology.In(_region))
        {
            var endpoint = new Endpoint(deployment.Model, deployment.Instances, _region);
            _endpoints.Add(deployment.Model, endpoint);
            for (var i = 0; i < endpoint.Keys.Length; i++)
            {
                _byInstance.Add(endpoint.Keys[i], (endpoint, i));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<RouteDecision> RouteAsync(InferenceRequest request)
    {
        var now = Time.GetUtcNow();
        _arrived++;
        _services.Observer.OnArrived(request, now);
        var decision = Decide(request);
        if (decision.Outcome == RouteOutcome.Rejected)
        {
            CountRejection(decision.Reason!);
            _services.Observer.OnRejected(request, decision.Reason!, now);
        }
        else
        {
            _routed++;
            _services.Observer.OnRouted(request, decision, now);
        }

        return ValueTask.FromResult(decision);
    }

    private RouteDecision Decide(InferenceRequest request)
    {
        if (!_endpoints.TryGetValue(request.Model, out var endpoint))
        {
            return RouteDecision.Reject(request.Id, _region, $"model {request.Model} is not deployed in {_region}");
        }

        var index = LeastPendingTokensRouter.Choose(endpoint.PendingTokens);
        if (index < 0)
        {
            return RouteDecision.Reject(request.Id, _region, $"model {request.Model} has no instance in {_region}");
        }

        endpoint.PendingTokens[index] += request.PromptTokens + request.OutputTokens;
        return RouteDecision.To(request.Id, _region, endpoint.Keys[index]);
    }

    /// <inheritdoc />
    public ValueTask ReportCompletionsAsync(CompletionReport report)
    {
        if (!_byInstance.TryGetValue(report.InstanceKey, out var slot))
        {
            throw new ArgumentException($"{_region} has no instance '{report.InstanceKey}'.", nameof(report));
        }

        slot.Endpoint.PendingTokens[slot.Index] -= report.TokensFreed;
        _completed += report.Completed;
        if (report.Rejected > 0)
        {
            _routed -= report.Rejected;
            CountRejection(report.RejectionReason ?? "refused by the instance");
        }

        return ValueTask.CompletedTask;
    }

    private void CountRejection(string reason) => _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;

    /// <inheritdoc />
    public ValueTask<RegionSnapshot> GetSnapshotAsync(int unused)
    {
        var pending = _byInstance.ToDictionary(p => p.Key, p => p.Value.Endpoint.PendingTokens[p.Value.Index], StringComparer.Ordinal);
        return ValueTask.FromResult(new RegionSnapshot(
            _region, _arrived, _routed, new Dictionary<string, long>(_rejected, StringComparer.Ordinal), _completed, pending));
    }

    /// <summary>All instances of one model in this region.</summary>
    private sealed class Endpoint
    {
        public Endpoint(ModelId model, int instances, RegionId region)
        {
            Keys = Enumerable.Range(0, instances).Select(i => FleetTopology.InstanceKey(region, model, i)).ToArray();
            PendingTokens = new long[instances];
        }

        public string[] Keys { get; }

        public long[] PendingTokens { get; }
    }
}
