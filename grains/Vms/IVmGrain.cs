using SageServe.Grains.Domain;
using SageServe.Runtime;

namespace SageServe.Grains.Vms;

/// <summary>
/// One GPU VM (key: <c>region/vm-n</c>, see <see cref="VmLayout"/>). It owns the worker of the model loaded on it:
/// loads and unloads models on command (idempotent by operation id), admits the requests its instance is routed,
/// steps the worker, reports completions to its region and tells the region when its instance enters or leaves
/// service. A model instance is a model loaded on a VM: the instance grain forwards to it.
/// </summary>
public interface IVmGrain : IGrainWithStringKey
{
    /// <summary>Creates the worker for the model and puts its instance into service (readiness reported to the region).</summary>
    ValueTask<VmCommandResult> LoadModelAsync(VmLoadCommand command);

    /// <summary>
    /// Takes the instance out of service (the region stops routing to it), then drains or aborts what the worker holds
    /// — every held request ends completed or reported rejected with the reason — and destroys the worker.
    /// </summary>
    ValueTask<VmCommandResult> UnloadModelAsync(VmUnloadCommand command);

    /// <summary>State, model, instance and the worker's load (KV utilisation, running, queued).</summary>
    [AlwaysInterleave]
    ValueTask<VmStatus> GetStatusAsync(int unused);

    /// <summary>Admits a request routed to the instance this VM hosts; refused (with the reason) if it does not host it now.</summary>
    ValueTask<VmAdmission> SubmitToWorkerAsync(VmSubmission submission);

    /// <summary>
    /// Fault injection for the instance <paramref name="instanceKey"/>: its worker crashes and restarts empty; returns
    /// the requests it held for the caller to route again (none if this VM does not host that instance).
    /// </summary>
    ValueTask<IReadOnlyList<InferenceRequest>> CrashWorkerAsync(string instanceKey);
}
