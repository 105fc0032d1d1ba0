using SageServe.Runtime.Hosting;
using SageServe.Runtime.Execution;
using SageServe.Runtime.Storage;
using SageServe.Runtime.Timers;

namespace SageServe.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates grains (never <c>new</c> them): it activates one on the
/// first call to its id, runs its calls one turn at a time, and deactivates it when idle. Time and randomness come
/// from here (<see cref="Time"/>, <see cref="Random"/>), never from the wall clock, so a grain runs the same live and
/// under the deterministic scheduler.
/// </summary>
public abstract class Grain
{
    private readonly Activation _activation;
    private Random? _random;

    /// <summary>Binds the grain to the activation the runtime is constructing.</summary>
    /// <exception cref="InvalidOperationException">Constructed outside the runtime.</exception>
    protected Grain()
    {
        _activation = Activation.Constructing ?? throw new InvalidOperationException(
            $"{GetType().Name} was constructed outside the runtime. Get a reference with IGrainFactory.GetGrain<T>(key) instead.");
    }

    /// <summary>This grain's identity.</summary>
    protected GrainId GrainId => _activation.Id;

    /// <summary>This grain's string key.</summary>
    protected string Key => _activation.Id.Key;

    /// <summary>References to other grains (and to this one).</summary>
    protected IGrainFactory GrainFactory => _activation.Runtime.Factory;

    /// <summary>The runtime's clock: the system clock live, virtual time under simulation.</summary>
    protected TimeProvider Time => _activation.Runtime.Clock.Time;

    /// <summary>
    /// Randomness seeded from the silo seed, this grain's id and its activation ordinal: reproducible under the
    /// deterministic scheduler, independent of which other grains exist.
    /// </summary>
    protected Random Random => _random ??= new Random(SeedMixer.Mix(_activation.Runtime.Options.Seed, _activation.Id.StableHash(), (ulong)_activation.Ordinal));

    /// <summary>Called once before the first call is delivered (after declared state has been read).</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once when the activation goes away (not on a crash).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the runtime to deactivate this grain once the current turn ends.</summary>
    protected void DeactivateOnIdle() => _activation.DeactivateOnIdle();

    /// <summary>
    /// Registers a timer whose ticks run as turns of this grain on the runtime's clock. The next tick is due one
    /// <paramref name="period"/> after the previous callback finishes. Dispose the result to stop it.
    /// </summary>
    /// <param name="callback">The tick; its token is cancelled when the timer is disposed.</param>
    /// <param name="dueTime">Until the first tick (<see cref="Timeout.InfiniteTimeSpan"/>: not armed yet).</param>
    /// <param name="period">Between ticks (<see cref="Timeout.InfiniteTimeSpan"/>: one-shot).</param>
    /// <param name="name">For errors and traces.</param>
    /// <param name="keepsSimulationAlive">
    /// Under the deterministic scheduler, whether a pending tick counts as outstanding work (e.g. a simulated
    /// worker's next completion) rather than housekeeping; live, it has no effect.
    /// </param>
    protected IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, string? name = null, bool keepsSimulationAlive = false)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(_activation, callback, dueTime, period, name ?? $"{GetType().Name}.timer", keepsSimulationAlive);
        _activation.AddTimer(timer);
        return timer;
    }

    /// <summary>
    /// Declares persistent state; call it from the constructor. The runtime reads it before <see cref="OnActivateAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called after construction, or no storage named <paramref name="storageName"/>.</exception>
    protected IPersistentState<TState> GetPersistentState<TState>(string stateName, string storageName = StorageNames.Default)
        where TState : class, new()
    {
        var storage = _activation.Runtime.GetStorage(storageName);
        var state = new PersistentState<TState>(stateName, _activation.Id, storage);
        _activation.RegisterState(state);
        return state;
    }
}
