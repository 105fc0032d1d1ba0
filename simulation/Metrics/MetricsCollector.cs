using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Simulation.Fleet;

namespace SageServe.Simulation.Metrics;

/// <summary>
/// Collects every request outcome by (home region, model, tier). Runs inside grain turns on the simulation's one
/// thread, so it needs no locks. Memory is fixed per slice, whatever the number of requests.
/// </summary>
public sealed class MetricsCollector : IRequestObserver
{
    private readonly Dictionary<(RegionId, ModelId, Tier), ServiceStats> _slices = [];
    private readonly PerformanceCatalog _catalog;
    private readonly Func<ModelId, SkuId> _referenceSku;
    private readonly DateTimeOffset _epoch;
    private readonly List<long>[] _arrivalsByTier = [[], []];

    /// <summary>Creates a collector.</summary>
    /// <param name="catalog">For the unloaded prefill time in the IW SLO.</param>
    /// <param name="referenceSku">The SKU whose unloaded prefill defines a model's SLO.</param>
    /// <param name="epoch">The instant request arrival offsets count from.</param>
    /// <param name="slo">The interactive SLO.</param>
    public MetricsCollector(PerformanceCatalog catalog, Func<ModelId, SkuId> referenceSku, DateTimeOffset epoch, SloPolicy? slo = null)
    {
        _catalog = catalog;
        _referenceSku = referenceSku;
        _epoch = epoch;
        Slo = slo ?? new SloPolicy();
    }

    /// <summary>The SLO applied.</summary>
    public SloPolicy Slo { get; }

    /// <summary>Width of the arrival time series buckets (default 5 min).</summary>
    public TimeSpan Bucket { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Arrivals per bucket, per tier.</summary>
    public IReadOnlyList<long> ArrivalsPerBucket(Tier tier) => _arrivalsByTier[(int)tier];

    /// <summary>NIW requests that completed after their deadline.</summary>
    public long NiwCompletedLate { get; private set; }

    /// <summary>Every slice seen.</summary>
    public IReadOnlyDictionary<(RegionId Region, ModelId Model, Tier Tier), ServiceStats> Slices =>
        _slices.ToDictionary(p => (p.Key.Item1, p.Key.Item2, p.Key.Item3), p => p.Value);

    /// <summary>All slices matching <paramref name="filter"/> merged into one.</summary>
    public ServiceStats Total(Func<RegionId, ModelId, Tier, bool>? filter = null)
    {
        var total = new ServiceStats();
        foreach (var ((region, model, tier), stats) in _slices.OrderBy(p => p.Key.Item1.Name, StringComparer.Ordinal)
                     .ThenBy(p => p.Key.Item2.Name, StringComparer.Ordinal).ThenBy(p => p.Key.Item3))
        {
            if (filter is null || filter(region, model, tier))
            {
                total.Merge(stats);
            }
        }

        return total;
    }

    /// <inheritdoc />
    public void OnArrived(InferenceRequest request, DateTimeOffset at)
    {
        Slice(request).Arrived++;
        var series = _arrivalsByTier[(int)request.Tier];
        var index = (int)((at - _epoch) / Bucket);
        while (series.Count <= index)
        {
            series.Add(0);
        }

        series[index]++;
    }

    /// <inheritdoc />
    public void OnRouted(InferenceRequest request, RouteDecision decision, DateTimeOffset at)
    {
    }

    /// <inheritdoc />
    public void OnRejected(InferenceRequest request, string reason, DateTimeOffset at)
    {
        var rejected = Slice(request).Rejected;
        rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
    }

    /// <inheritdoc />
    public void OnCompleted(in RequestCompletion completion)
    {
        var request = completion.Request;
        var stats = Slice(request);
        var arrival = _epoch + request.Arrival;
        var ttft = completion.FirstTokenAt - arrival;
        var tbt = completion.MeanTimeBetweenTokens;
        var e2e = completion.CompletedAt - arrival;
        stats.Completed++;
        stats.TimeToFirstToken.Record(ttft);
        stats.EndToEnd.Record(e2e);
        stats.QueueDelay.Record(completion.SubmittedAt - arrival);
        if (request.OutputTokens > 1)
        {
            stats.TimeBetweenTokens.Record(tbt);
        }

        if (MeetsSlo(request, ttft, tbt, e2e))
        {
            stats.MetSlo++;
        }
        else if (request.Tier == Tier.NonInteractive)
        {
            NiwCompletedLate++;
        }
    }

    /// <summary>Whether a request with these latencies met its SLO.</summary>
    public bool MeetsSlo(InferenceRequest request, TimeSpan ttft, TimeSpan meanTbt, TimeSpan endToEnd)
    {
        if (request.Tier == Tier.NonInteractive)
        {
            return request.Deadline is not { } deadline || endToEnd <= deadline;
        }

        var prefill = _catalog.Get(request.Model, _referenceSku(request.Model)).Latency.PrefillTime(request.PromptTokens);
        return ttft <= Slo.TtftBase + (prefill * Slo.TtftPrefillMultiple) && meanTbt <= Slo.MaxMeanTimeBetweenTokens;
    }

    private ServiceStats Slice(InferenceRequest request)
    {
        var key = (request.HomeRegion, request.Model, request.Tier);
        if (!_slices.TryGetValue(key, out var stats))
        {
            stats = new ServiceStats();
            _slices.Add(key, stats);
        }

        return stats;
    }
}
