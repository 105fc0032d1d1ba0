using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Silo.Api;

namespace SageServe.Silo.Hosting;

/// <summary>Live telemetry: counts completions and tells the NIW dispatcher when a job's request ends.</summary>
internal sealed class LiveRequestObserver(SiloMetrics metrics, Func<NiwDispatcher?> niw) : IRequestObserver
{
    public void OnArrived(InferenceRequest request, DateTimeOffset at)
    {
    }

    public void OnRouted(InferenceRequest request, RouteDecision decision, DateTimeOffset at)
    {
    }

    public void OnRejected(InferenceRequest request, string reason, DateTimeOffset at)
    {
        if (request.Tier == Tier.NonInteractive)
        {
            niw()?.OnRequestFinished(request.Id, reason);
        }
    }

    public void OnCompleted(in RequestCompletion completion)
    {
        var tier = completion.Request.Tier;
        metrics.RecordCompletion(tier == Tier.Interactive ? "interactive" : "non-interactive");
        if (tier == Tier.NonInteractive)
        {
            niw()?.OnRequestFinished(completion.Request.Id, null);
        }
    }
}
