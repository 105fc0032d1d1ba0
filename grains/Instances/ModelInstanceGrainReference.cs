using SageServe.Grains.Domain;
using SageServe.Runtime;

namespace SageServe.Grains.Instances;

/// <summary>Calls <see cref="IModelInstanceGrain"/> through the runtime (what Orleans would generate).</summary>
public sealed class ModelInstanceGrainReference(GrainReference reference) : IModelInstanceGrain
{
    private static readonly CallDescriptor s_submit = CallDescriptor.For<IModelInstanceGrain>(nameof(IModelInstanceGrain.SubmitAsync));
    private static readonly CallDescriptor s_crash = CallDescriptor.For<IModelInstanceGrain>(nameof(IModelInstanceGrain.CrashAsync));
    private static readonly CallDescriptor s_load = CallDescriptor.For<IModelInstanceGrain>(nameof(IModelInstanceGrain.GetLoadAsync));

    /// <inheritdoc />
    public ValueTask<bool> SubmitAsync(InferenceRequest request) =>
        reference.InvokeAsync(s_submit, request, static (IModelInstanceGrain g, InferenceRequest r) => g.SubmitAsync(r));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceRequest>> CrashAsync(int unused) =>
        reference.InvokeAsync(s_crash, unused, static (IModelInstanceGrain g, int u) => g.CrashAsync(u));

    /// <inheritdoc />
    public ValueTask<InstanceLoad> GetLoadAsync(int unused) =>
        reference.InvokeAsync(s_load, unused, static (IModelInstanceGrain g, int u) => g.GetLoadAsync(u));
}
