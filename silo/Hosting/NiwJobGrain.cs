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
        // RequestId != 0: already dispatched (held by a region's queue or a worker); a recovery clears it first.
        if (!_job.RecordExists || _job.State.Status != NiwJobStatus.Queued || _job.State.RequestId != 0 || _job.State.Spec is not { } spec)
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
            spec.Deadline,
            Key);
        var decision = await GrainFactory.GetGrain<IRegionGrain>(request.HomeRegion.Name).RouteAsync(request);
        _job.State.RequestId = requestId;
        _job.State.Region = decision.Region.Name;
        _job.State.RegionOwner = _plane.OwnerOf(new GrainId("region", decision.Region.Name));
        if (decision.Outcome == RouteOutcome.Queued)
        {
            // Durably held by the region's NIW queue now; the observer finishes this job when a worker completes it.
            _plane.Metrics.RecordDecision("queued", TimeSpan.Zero);
        }
        else if (decision.Outcome != RouteOutcome.Rejected && decision.InstanceKey is { } instance)
        {
            _job.State.Instance = instance;
            _job.State.InstanceOwner = _plane.OwnerOf(new GrainId("instance", instance));
            var accepted = await GrainFactory.GetGrain<IModelInstanceGrain>(instance).SubmitAsync(request);
            if (accepted)
            {
                // The worker may already have finished it (FinishAsync queued behind this turn sees Running).
                _job.State.Status = NiwJobStatus.Running;
                _plane.Metrics.RecordDecision("queued", TimeSpan.Zero);
            }
            else
            {
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

        Requeue();
        await _job.WriteStateAsync();
        _plane.Metrics.NiwQueueDepthChanged(+1);
        return true;
    }

    /// <inheritdoc />
    public async Task<NiwJobView?> ResumeIfLostAsync(int unused)
    {
        if (!_job.RecordExists)
        {
            return null;
        }

        var s = _job.State;
        if (NiwJobStatus.IsFinal(s.Status))
        {
            return View();
        }

        var lost = s.RequestId == 0
            ? Time.GetUtcNow() - s.UpdatedAt > UndispatchedAfter
            : (s.RegionOwner is { } region && !_plane.IsSiloActive(region)) || (s.InstanceOwner is { } instance && !_plane.IsSiloActive(instance));
        if (!lost)
        {
            return View();
        }

        Requeue();
        s.Reason = s.RequestId == 0 ? "re-queued: not dispatched in time" : "re-queued: the silo holding it left the cluster";
        await _job.WriteStateAsync();
        _plane.Niw.EnqueueDispatch(Key);
        return View() with { Requeued = true };
    }

    /// <summary>How long an accepted job may wait for its first dispatch before the sweep re-queues it.</summary>
    public static TimeSpan UndispatchedAfter { get; } = TimeSpan.FromSeconds(5);

    private void Requeue()
    {
        _job.State.Status = NiwJobStatus.Queued;
        _job.State.Instance = null;
        _job.State.RequestId = 0;
        _job.State.RegionOwner = null;
        _job.State.InstanceOwner = null;
        _job.State.UpdatedAt = Time.GetUtcNow();
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
