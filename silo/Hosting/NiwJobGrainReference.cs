using SageServe.Runtime;

namespace SageServe.Silo.Hosting;

/// <summary>Calls <see cref="INiwJobGrain"/> through the runtime.</summary>
public sealed class NiwJobGrainReference(GrainReference reference) : INiwJobGrain
{
    private static readonly CallDescriptor s_accept = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.AcceptAsync));
    private static readonly CallDescriptor s_dispatch = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.DispatchAsync));
    private static readonly CallDescriptor s_finish = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.FinishAsync));
    private static readonly CallDescriptor s_get = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.GetAsync));
    private static readonly CallDescriptor s_recover = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.RecoverAsync));
    private static readonly CallDescriptor s_resume = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.ResumeIfLostAsync));

    /// <inheritdoc />
    public Task<NiwJobView> AcceptAsync(NiwJobSpec spec) =>
        reference.InvokeAsync(s_accept, spec, static (INiwJobGrain g, NiwJobSpec s) => g.AcceptAsync(s));

    /// <inheritdoc />
    public Task<NiwJobView> DispatchAsync(long requestId) =>
        reference.InvokeAsync(s_dispatch, requestId, static (INiwJobGrain g, long id) => g.DispatchAsync(id));

    /// <inheritdoc />
    public Task<NiwJobView> FinishAsync(NiwFinish finish) =>
        reference.InvokeAsync(s_finish, finish, static (INiwJobGrain g, NiwFinish f) => g.FinishAsync(f));

    /// <inheritdoc />
    public Task<NiwJobView?> GetAsync(int unused) =>
        reference.InvokeAsync(s_get, unused, static (INiwJobGrain g, int u) => g.GetAsync(u));

    /// <inheritdoc />
    public Task<bool?> RecoverAsync(int unused) =>
        reference.InvokeAsync(s_recover, unused, static (INiwJobGrain g, int u) => g.RecoverAsync(u));

    /// <inheritdoc />
    public Task<NiwJobView?> ResumeIfLostAsync(int unused) =>
        reference.InvokeAsync(s_resume, unused, static (INiwJobGrain g, int u) => g.ResumeIfLostAsync(u));
}
