using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Silo.Api;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Metrics;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Live telemetry, called inside grain turns from many activations at once (so only thread-safe work here): latency
/// and SLO attainment per tier (the simulator's SLO definition), the NIW dispatcher's completion hook, and the
/// interactive arrivals the plan view compares with the forecast.
/// </summary>
internal sealed class LiveRequestObserver(
    SiloMetrics metrics, Func<NiwDispatcher?> niw, Func<DateTimeOffset> epoch, PerformanceCatalog catalog, SkuId referenceSku, ObservedTraffic? traffic = null)
    : IRequestObserver
{
    // Used only for its thread-safe SLO test; its own (single-threaded) counters stay unused.
    private readonly MetricsCollector _slo = new(catalog, _ => referenceSku, default);

    public void OnArrived(InferenceRequest request, DateTimeOffset at)
    {
        if (request.Tier == Tier.Interactive)
        {
            traffic?.Record(request.HomeRegion, request.Model, at, request.PromptTokens);
        }
    }

    public void OnRouted(InferenceRequest request, RouteDecision decision, DateTimeOffset at)
    {
    }

    public void OnRejected(InferenceRequest request, string reason, DateTimeOffset at)
    {
        metrics.RecordFinished(TierName(request.Tier), metSlo: false);
        if (request.JobId is { } job)
        {
            niw()?.OnJobRequestFinished(job, reason);
        }
    }

    public void OnCompleted(in RequestCompletion completion)
    {
        var request = completion.Request;
        var arrival = epoch() + request.Arrival;
        var ttft = completion.FirstTokenAt - arrival;
        var e2e = completion.CompletedAt - arrival;
        var met = _slo.MeetsSlo(request, ttft, completion.MeanTimeBetweenTokens, e2e);
        metrics.RecordCompletion(TierName(request.Tier), ttft, e2e, met);
        if (request.JobId is { } job)
        {
            niw()?.OnJobRequestFinished(job, null, completion.InstanceKey);
        }
    }

    private static string TierName(Tier tier) => tier == Tier.Interactive ? "interactive" : "non-interactive";
}
