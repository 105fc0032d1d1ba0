using SageServe.Grains.Domain;
using SageServe.Grains.Workers;

namespace SageServe.Grains.Tests.Regions;

/// <summary>A test worker: serves up to <c>slots</c> requests at once, each for a fixed prefill plus per-token time.</summary>
internal sealed class FixedLatencyWorker(int slots, TimeSpan prefill, TimeSpan perToken, long kvCapacityTokens) : IWorkerDriver
{
    private readonly Queue<(InferenceRequest Request, DateTimeOffset At)> _waiting = new();
    private readonly List<(InferenceRequest Request, DateTimeOffset SubmittedAt, DateTimeOffset FirstToken, DateTimeOffset Done)> _running = [];
    private long _pendingTokens;

    public DateTimeOffset? NextEventAt => _running.Count == 0 ? null : _running.Min(r => r.Done);

    public InstanceLoad Load => new(_running.Count, _waiting.Count, _running.Sum(r => (long)r.Request.PromptTokens + r.Request.OutputTokens), kvCapacityTokens, _pendingTokens);

    public bool TrySubmit(InferenceRequest request, DateTimeOffset now, out string? reason)
    {
        if (request.PromptTokens + request.OutputTokens > kvCapacityTokens)
        {
            reason = "does not fit in the KV cache";
            return false;
        }

        reason = null;
        _pendingTokens += request.PromptTokens + request.OutputTokens;
        _waiting.Enqueue((request, now));
        Admit(now);
        return true;
    }

    public void AdvanceTo(DateTimeOffset now, ICollection<WorkerCompletion> completed)
    {
        while (_running.Count > 0)
        {
            var next = _running.OrderBy(r => r.Done).ThenBy(r => r.Request.Id).First();
            if (next.Done > now)
            {
                break;
            }

            _running.Remove(next);
            _pendingTokens -= next.Request.PromptTokens + next.Request.OutputTokens;
            completed.Add(new WorkerCompletion(next.Request, next.SubmittedAt, next.FirstToken, next.Done));
            Admit(next.Done);
        }
    }

    public IReadOnlyList<InferenceRequest> Abort()
    {
        var lost = _running.Select(r => r.Request).Concat(_waiting.Select(w => w.Request)).ToList();
        _running.Clear();
        _waiting.Clear();
        _pendingTokens = 0;
        return lost;
    }

    private void Admit(DateTimeOffset now)
    {
        while (_running.Count < slots && _waiting.TryDequeue(out var w))
        {
            var firstToken = now + prefill;
            _running.Add((w.Request, w.At, firstToken, firstToken + (perToken * w.Request.OutputTokens)));
        }
    }
}

internal sealed class FixedLatencyWorkerFactory(int slots, long kvCapacityTokens = 100_000) : IWorkerDriverFactory
{
    public IWorkerDriver Create(RegionId region, ModelId model, SkuId sku, string instanceKey) =>
        new FixedLatencyWorker(slots, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(20), kvCapacityTokens);
}
