using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Grains.Instances;
using SageServe.Grains.Regions;
using SageServe.Runtime;
using SageServe.Runtime.Storage;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Holds one non-interactive job durably: the record is written before the API answers 202, then the job is routed
/// as tier non-interactive and handed to an instance; the silo's request observer reports when it finishes.
/// </summary>
public sealed class NiwJobGrain : Grain, INiwJobGrain
{
    private readonly LiveControlPlane _plane;
    private readonly IPersistentState<NiwJobState> _job;

    /// <summary>Creates the grain (by the runtime).</summary>
    public NiwJobGrain(LiveControlPlane plane)
    {
        _plane = plane;
        _job = GetPersistentState<NiwJobState>("niw-job");
    }

    /// <inheritdoc />
    public async Task<NiwJobView> AcceptAsync(NiwJobSpec spec)
    {
        if (_job.RecordExists)
        {
            var sameSpec = _job.State.Spec?.Fingerprint == spec.Fingerprint;
            return View() with { Conflict = !sameSpec };
        }

        var now = Time.GetUtcNow();
        _job.State = new NiwJobState { JobId = Key, Spec = spec, Status = NiwJobStatus.Queued, AcceptedAt = now, UpdatedAt = now };
        await _job.WriteStateAsync();
        _plane.Metrics.NiwQueueDepthChanged(+1);
        return View() with { Created = true };
    }

    /// <inheritdoc />
    public async Task<NiwJobView> DispatchAsync(long requestId)
    {
        if (!_job.RecordExists || _job.State.Status != NiwJobStatus.Queued || _job.State.Spec is not { } spec)
        {
            return View();
        }

        var now = Time.GetUtcNow();
        var request = new InferenceRequest(
            requestId,
            now - _plane.StartedAt,
            new ModelId(spec.Model),
            Tier.NonInteractive,
            [.. spec.RegionPreference.Select(r => new RegionId(r))],
            spec.PromptTokens,
            spec.OutputTokens,
            spec.Deadline);
        var decision = await GrainFactory.GetGrain<IRegionGrain>(request.HomeRegion.Name).RouteAsync(request);
        _job.State.RequestId = requestId;
        _job.State.Region = decision.Region.Name;
        if (decision.Outcome == RouteOutcome.Queued)
        {
            // Durably held by the region's NIW queue now; the observer finishes this job when a worker completes it.
            _plane.Niw.Track(requestId, Key);
            _plane.Metrics.RecordDecision("queued", TimeSpan.Zero);
        }
        else if (decision.Outcome != RouteOutcome.Rejected && decision.InstanceKey is { } instance)
        {
            _job.State.Instance = instance;
            _plane.Niw.Track(requestId, Key);
            var accepted = await GrainFactory.GetGrain<IModelInstanceGrain>(instance).SubmitAsync(request);
            if (accepted)
            {
                // The worker may already have finished it (FinishAsync queued behind this turn sees Running).
                _job.State.Status = NiwJobStatus.Running;
                _plane.Metrics.RecordDecision("queued", TimeSpan.Zero);
            }
            else
            {
                _plane.Niw.Untrack(requestId);
                MarkRejected("refused by instance " + instance);
            }
        }
        else
        {
            MarkRejected(decision.Reason ?? "rejected by the region");
        }

        _job.State.UpdatedAt = Time.GetUtcNow();
        await _job.WriteStateAsync();
        return View();
    }

    /// <inheritdoc />
    public async Task<NiwJobView> FinishAsync(NiwFinish finish)
    {
        if (!_job.RecordExists || NiwJobStatus.IsFinal(_job.State.Status))
        {
            return View();
        }

        var rejection = finish.Rejection;
        if (rejection is null)
        {
            _job.State.Status = NiwJobStatus.Completed;
            _job.State.Instance = finish.Instance ?? _job.State.Instance;
            _plane.Metrics.NiwQueueDepthChanged(-1);
        }
        else
        {
            MarkRejected(rejection);
        }

        _job.State.UpdatedAt = Time.GetUtcNow();
        await _job.WriteStateAsync();
        return View();
    }

    /// <inheritdoc />
    public Task<NiwJobView?> GetAsync(int unused) => Task.FromResult(_job.RecordExists ? View() : null);

    /// <inheritdoc />
    public async Task<bool?> RecoverAsync(int unused)
    {
        if (!_job.RecordExists)
        {
            return null;
        }

        if (NiwJobStatus.IsFinal(_job.State.Status))
        {
            return false;
        }

        _job.State.Status = NiwJobStatus.Queued;
        _job.State.Instance = null;
        _job.State.UpdatedAt = Time.GetUtcNow();
        await _job.WriteStateAsync();
        _plane.Metrics.NiwQueueDepthChanged(+1);
        return true;
    }

    private void MarkRejected(string reason)
    {
        _job.State.Status = NiwJobStatus.Rejected;
        _job.State.Reason = reason;
        _plane.Metrics.NiwQueueDepthChanged(-1);
    }

    private NiwJobView View()
    {
        var s = _job.State;
        return new NiwJobView(Key, s.Status, s.Reason, s.Region, s.Instance, s.AcceptedAt, s.UpdatedAt);
    }
}
