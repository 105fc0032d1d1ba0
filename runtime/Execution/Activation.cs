using SageServe.Runtime.Timers;
using SageServe.Runtime.Hosting;
using SageServe.Runtime.Scheduling;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Execution;

/// <summary>
/// One live instance of a grain: its mailbox, its turn gate and its execution context. All fields below are touched
/// only on this activation's own context (it is a <see cref="WorkQueue"/>), so they need no locks.
/// </summary>
internal sealed class Activation : WorkQueue
{
    [ThreadStatic]
    private static Activation? t_constructing;

    private static readonly Action<object?> s_onReceive = static s => { var r = (Request)s!; r.Target.OnReceive(r); };
    private static readonly Action<object?> s_onCollect = static s => ((Activation)s!).CollectIfIdle();
    private static readonly Action<object?> s_onDeactivateRequest = static s => ((Activation)s!).StartDeactivation(DeactivationReason.Requested);

    private readonly GrainRegistration _registration;
    private readonly Queue<Request> _mailbox = new();
    private readonly List<IPersistentStateLifecycle> _states = [];
    private readonly List<GrainTimer> _timers = [];
    private Grain? _grain;
    private Request? _exclusive;
    private int _running;
    private bool _deactivateWhenIdle;
    private bool _deactivationStarted;
    private DeactivationReason _pendingReason;
    private volatile ActivationState _state = ActivationState.Created;

    public Activation(SiloRuntime runtime, GrainRegistration registration, GrainId id, long ordinal)
        : base(runtime.Executor)
    {
        Runtime = runtime;
        _registration = registration;
        Id = id;
        Ordinal = ordinal;
    }

    /// <summary>The activation whose grain is being constructed on this thread (read by <see cref="Grain"/>'s constructor).</summary>
    internal static Activation? Constructing => t_constructing;

    public SiloRuntime Runtime { get; }

    public GrainId Id { get; }

    /// <summary>How many activations of this grain id this silo created before this one (for seeding).</summary>
    public long Ordinal { get; }

    public ActivationState State => _state;

    public long LastActivityTicks { get; private set; }

    /// <summary>The non-interleaving request holding the turn, if any: the parent of calls made from it.</summary>
    public Request? CurrentExclusive => _exclusive;

    public bool IsIdle => _running == 0 && _mailbox.Count == 0 && _state == ActivationState.Valid;

    /// <summary>Accepts a request from any thread.</summary>
    public void Receive(Request request) => Enqueue(s_onReceive, request);

    public void RequestCollectionCheck() => Enqueue(s_onCollect, this);

    public void RequestDeactivation() => Enqueue(s_onDeactivateRequest, this);

    internal void RegisterState(IPersistentStateLifecycle state)
    {
        if (_state != ActivationState.Activating || _grain is not null)
        {
            throw new InvalidOperationException(
                $"Persistent state for {Id} must be declared in the grain's constructor so it is read before activation.");
        }

        _states.Add(state);
    }

    internal void AddTimer(GrainTimer timer) => _timers.Add(timer);

    internal void RemoveTimer(GrainTimer timer) => _timers.Remove(timer);

    /// <summary>Asks for deactivation once the current turn(s) end (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    internal void DeactivateOnIdle()
    {
        _deactivateWhenIdle = true;
        _pendingReason = DeactivationReason.Requested;
    }

    private void OnReceive(Request request)
    {
        switch (_state)
        {
            case ActivationState.Created:
                _state = ActivationState.Activating;
                _mailbox.Enqueue(request);
                _ = ActivateAsync();
                return;
            case ActivationState.Activating:
            case ActivationState.Deactivating:
                _mailbox.Enqueue(request); // forwarded to the next activation if this one goes away
                return;
            case ActivationState.Invalid when request.Forwardable:
                Runtime.Dispatch(request);
                return;
            case ActivationState.Invalid:
                request.Reject(new InvalidOperationException($"{Id} deactivated."));
                return;
        }

        if (request.Descriptor.Interleave)
        {
            Start(request);
            return;
        }

        if (_exclusive is not null && request.ChainContains(this))
        {
            request.Reject(new DeadlockException(
                $"Deadlock: {request.Descriptor.Name} on {Id} waits for {_exclusive.Descriptor.Name} on {Id}, which waits (through its call chain) for this call. " +
                "Mark a read-only method [AlwaysInterleave], or restructure the calls."));
            return;
        }

        _mailbox.Enqueue(request);
        Pump();
    }

    private void Pump()
    {
        while (_state == ActivationState.Valid && _exclusive is null && !_deactivateWhenIdle && _mailbox.TryDequeue(out var next))
        {
            if (!next.Descriptor.Interleave)
            {
                _exclusive = next;
            }

            Start(next);
        }
    }

    private void Start(Request request)
    {
        _running++;
        if (request.CountsAsActivity)
        {
            LastActivityTicks = Runtime.Clock.Time.GetUtcNow().UtcTicks;
        }

        request.Execute(_grain!);
    }

    /// <summary>A turn ended (on this context).</summary>
    internal void OnRequestFinished(Request request)
    {
        _running--;
        if (ReferenceEquals(_exclusive, request))
        {
            _exclusive = null;
        }

        if (_running == 0 && (_deactivateWhenIdle || _state == ActivationState.Deactivating))
        {
            StartDeactivation(_pendingReason);
            return;
        }

        Pump();
    }

    /// <summary>A turn lost an ETag race: this activation's copy of its state is stale.</summary>
    internal void OnStaleState()
    {
        _deactivateWhenIdle = true;
        _pendingReason = DeactivationReason.StaleState;
    }

    private async Task ActivateAsync()
    {
        try
        {
            t_constructing = this;
            try
            {
                _grain = _registration.Create();
            }
            finally
            {
                t_constructing = null;
            }

            foreach (var state in _states)
            {
                await state.ReadAsync(CancellationToken.None);
            }

            await _grain.OnActivateAsync(CancellationToken.None);
            _state = ActivationState.Valid;
            LastActivityTicks = Runtime.Clock.Time.GetUtcNow().UtcTicks;
            Pump();
            if (_running == 0 && _deactivateWhenIdle)
            {
                StartDeactivation(_pendingReason);
            }
        }
        catch (Exception e)
        {
            var error = new GrainActivationException($"Activating {Id} failed: {e.Message}", e);
            _state = ActivationState.Invalid;
            DisposeTimers();
            Runtime.RemoveActivation(this);
            while (_mailbox.TryDequeue(out var request))
            {
                request.Reject(error);
            }
        }
    }

    private void CollectIfIdle()
    {
        if (IsIdle && Runtime.Clock.Time.GetUtcNow().UtcTicks - LastActivityTicks >= Runtime.Options.CollectionAge.Ticks)
        {
            StartDeactivation(DeactivationReason.Idle);
        }
    }

    internal void StartDeactivation(DeactivationReason reason)
    {
        if (_state is ActivationState.Invalid or ActivationState.Created || _deactivationStarted)
        {
            return;
        }

        _pendingReason = reason;
        if (_state == ActivationState.Activating)
        {
            _deactivateWhenIdle = true; // finish activating first
            return;
        }

        _state = ActivationState.Deactivating;
        if (_running > 0)
        {
            return; // OnRequestFinished resumes once the turns in progress end
        }

        _deactivationStarted = true;
        _ = DeactivateAsync(reason);
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        DisposeTimers();
        try
        {
            await _grain!.OnDeactivateAsync(reason, CancellationToken.None);
        }
        catch (Exception e)
        {
            Runtime.ReportDeactivationError(Id, e);
        }

        _state = ActivationState.Invalid;
        Runtime.RemoveActivation(this);
        while (_mailbox.TryDequeue(out var request))
        {
            if (request.Forwardable)
            {
                Runtime.Dispatch(request);
            }
            else
            {
                request.Reject(new InvalidOperationException($"{Id} deactivated."));
            }
        }
    }

    private void DisposeTimers()
    {
        foreach (var timer in _timers.ToArray())
        {
            timer.Dispose();
        }

        _timers.Clear();
    }
}

/// <summary>Lifecycle of an activation.</summary>
internal enum ActivationState
{
    Created = 0,
    Activating = 1,
    Valid = 2,
    Deactivating = 3,
    Invalid = 4,
}
