using SageServe.Runtime.Hosting;
using SageServe.Runtime.Execution;

namespace SageServe.Runtime;

/// <summary>
/// The address of one grain plus the means to call it. Interface references (one small class per grain interface,
/// what Orleans' code generator would emit) forward each method here with a cached <see cref="CallDescriptor"/> and a
/// static lambda, so a call allocates nothing on the caller's side.
/// </summary>
public sealed class GrainReference
{
    private readonly SiloRuntime _runtime;
    private readonly bool _localOnly;
    private Activation? _cached;

    internal GrainReference(SiloRuntime runtime, GrainId grainId, bool localOnly = false)
    {
        _runtime = runtime;
        GrainId = grainId;
        _localOnly = localOnly;
    }

    /// <summary>The grain this reference addresses.</summary>
    public GrainId GrainId { get; }

    /// <summary>Calls a method that returns a value.</summary>
    public ValueTask<TResult> InvokeAsync<TGrain, TArg, TResult>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, ValueTask<TResult>> method)
    {
        var (owner, unavailable) = Place();
        return unavailable is not null ? ValueTask.FromException<TResult>(unavailable)
            : owner is not null ? InvokeRemote(owner, descriptor, arg, method)
            : InvokeLocally(descriptor, arg, method);
    }

    /// <summary>Calls a method that returns a value, as a <see cref="Task{TResult}"/>-returning grain method.</summary>
    public Task<TResult> InvokeAsync<TGrain, TArg, TResult>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, Task<TResult>> method)
    {
        // The argument crosses silos as itself, never wrapped with the method (a delegate does not serialise).
        var (owner, unavailable) = Place();
        return unavailable is not null ? Task.FromException<TResult>(unavailable)
            : owner is not null ? InvokeRemote(owner, descriptor, arg, method)
            : InvokeTaskLocally(descriptor, arg, method).AsTask();
    }

    /// <summary>Calls a method that returns no value.</summary>
    public ValueTask InvokeAsync<TGrain, TArg>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, ValueTask> method)
    {
        var (owner, unavailable) = Place();
        return unavailable is not null ? ValueTask.FromException(unavailable)
            : owner is not null ? new ValueTask(InvokeRemote(owner, descriptor, arg, method))
            : InvokeLocally(descriptor, arg, method);
    }

    /// <summary>Calls a method that returns no value, as a <see cref="Task"/>-returning grain method.</summary>
    public Task InvokeAsync<TGrain, TArg>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, Task> method)
    {
        var (owner, unavailable) = Place();
        return unavailable is not null ? Task.FromException(unavailable)
            : owner is not null ? InvokeRemote(owner, descriptor, arg, method)
            : InvokeTaskLocally(descriptor, arg, method).AsTask();
    }

    /// <summary>
    /// Where the call runs: (null, null) here — stand-alone, or this silo owns the grain, or a call another silo routed
    /// here; (owner, null) on another silo; (null, error) nowhere now (this silo cannot act, or no silo is active).
    /// </summary>
    private (Cluster.SiloAddress? Owner, SiloUnavailableException? Unavailable) Place()
    {
        if (_localOnly || _runtime.Cluster is not { } cluster)
        {
            return default;
        }

        try
        {
            return (cluster.RemoteOwner(GrainId), null);
        }
        catch (SiloUnavailableException e)
        {
            return (null, e);
        }
    }

    // The remote paths live in their own methods: a lambda's closure is allocated at the entry of the method that
    // declares it, so keeping them out of InvokeAsync keeps the local path allocation-free.
    private ValueTask<TResult> InvokeRemote<TGrain, TArg, TResult>(Cluster.SiloAddress owner, CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, ValueTask<TResult>> method) =>
        _runtime.Cluster!.InvokeAsync(owner, GrainId, descriptor, arg, () => InvokeLocally(descriptor, arg, method));

    private Task<TResult> InvokeRemote<TGrain, TArg, TResult>(Cluster.SiloAddress owner, CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, Task<TResult>> method) =>
        _runtime.Cluster!.InvokeAsync(owner, GrainId, descriptor, arg, () => InvokeTaskLocally(descriptor, arg, method)).AsTask();

    private Task InvokeRemote<TGrain, TArg>(Cluster.SiloAddress owner, CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, ValueTask> method) =>
        InvokeRemoteVoid(owner, descriptor, arg, () => InvokeLocally(descriptor, arg, method));

    private Task InvokeRemote<TGrain, TArg>(Cluster.SiloAddress owner, CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, Task> method) =>
        InvokeRemoteVoid(owner, descriptor, arg, () => InvokeTaskLocally(descriptor, arg, method));

    private Task InvokeRemoteVoid<TArg>(Cluster.SiloAddress owner, CallDescriptor descriptor, TArg arg, Func<ValueTask> invokeLocally) =>
        _runtime.Cluster!.InvokeAsync<TArg, byte>(owner, GrainId, descriptor, arg, async () =>
        {
            await invokeLocally().ConfigureAwait(false);
            return 0;
        }).AsTask();

    private ValueTask<TResult> InvokeLocally<TGrain, TArg, TResult>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, ValueTask<TResult>> method)
    {
        var request = CallRequest<TGrain, TArg, TResult>.Rent(descriptor, arg, method, null);
        var task = request.AsValueTask();
        Send(request);
        return task;
    }

    private ValueTask<TResult> InvokeTaskLocally<TGrain, TArg, TResult>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, Task<TResult>> method) =>
        InvokeLocally(descriptor, (arg, method), static (TGrain g, (TArg Arg, Func<TGrain, TArg, Task<TResult>> Method) s) => new ValueTask<TResult>(s.Method(g, s.Arg)));

    private ValueTask InvokeLocally<TGrain, TArg>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, ValueTask> method)
    {
        var request = CallRequest<TGrain, TArg, VoidResult>.Rent(descriptor, arg, null, method);
        var task = request.AsVoidValueTask();
        Send(request);
        return task;
    }

    private ValueTask InvokeTaskLocally<TGrain, TArg>(CallDescriptor descriptor, TArg arg, Func<TGrain, TArg, Task> method) =>
        InvokeLocally(descriptor, (arg, method), static (TGrain g, (TArg Arg, Func<TGrain, TArg, Task> Method) s) => new ValueTask(s.Method(g, s.Arg)));

    private void Send<TRequest>(TRequest request)
        where TRequest : Request, ITrackedCall
    {
        // The caller's current non-interleaving turn (if the caller is a grain) is the parent in the call chain.
        if (SynchronizationContext.Current is Activation caller && caller.CurrentExclusive is { } parent)
        {
            request.Parent = parent;
            request.ParentVersion = parent.Version;
        }

        var activation = _cached;
        if (activation is null || activation.State == ActivationState.Invalid)
        {
            activation = _cached = _runtime.GetOrCreateActivation(GrainId);
        }

        request.Target = activation;
        _runtime.Calls.Track(request, request.Descriptor.Timeout ?? _runtime.Options.DefaultCallTimeout);
        activation.Receive(request);
    }

    /// <inheritdoc />
    public override string ToString() => GrainId.ToString();
}
