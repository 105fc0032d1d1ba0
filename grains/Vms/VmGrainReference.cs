using SageServe.Grains.Domain;
using SageServe.Runtime;

namespace SageServe.Grains.Vms;

/// <summary>Calls <see cref="IVmGrain"/> through the runtime (what Orleans would generate).</summary>
public sealed class VmGrainReference(GrainReference reference) : IVmGrain
{
    private static readonly CallDescriptor s_load = CallDescriptor.For<IVmGrain>(nameof(IVmGrain.LoadModelAsync));
    private static readonly CallDescriptor s_unload = CallDescriptor.For<IVmGrain>(nameof(IVmGrain.UnloadModelAsync));
    private static readonly CallDescriptor s_status = CallDescriptor.For<IVmGrain>(nameof(IVmGrain.GetStatusAsync));
    private static readonly CallDescriptor s_submit = CallDescriptor.For<IVmGrain>(nameof(IVmGrain.SubmitToWorkerAsync));
    private static readonly CallDescriptor s_crash = CallDescriptor.For<IVmGrain>(nameof(IVmGrain.CrashWorkerAsync));

    /// <inheritdoc />
    public ValueTask<VmCommandResult> LoadModelAsync(VmLoadCommand command) =>
        reference.InvokeAsync(s_load, command, static (IVmGrain g, VmLoadCommand c) => g.LoadModelAsync(c));

    /// <inheritdoc />
    public ValueTask<VmCommandResult> UnloadModelAsync(VmUnloadCommand command) =>
        reference.InvokeAsync(s_unload, command, static (IVmGrain g, VmUnloadCommand c) => g.UnloadModelAsync(c));

    /// <inheritdoc />
    public ValueTask<VmStatus> GetStatusAsync(int unused) =>
        reference.InvokeAsync(s_status, unused, static (IVmGrain g, int u) => g.GetStatusAsync(u));

    /// <inheritdoc />
    public ValueTask<VmAdmission> SubmitToWorkerAsync(VmSubmission submission) =>
        reference.InvokeAsync(s_submit, submission, static (IVmGrain g, VmSubmission s) => g.SubmitToWorkerAsync(s));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceRequest>> CrashWorkerAsync(string instanceKey) =>
        reference.InvokeAsync(s_crash, instanceKey, static (IVmGrain g, string k) => g.CrashWorkerAsync(k));
}
