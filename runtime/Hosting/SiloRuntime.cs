using System.Collections.Concurrent;
using SageServe.Runtime.Cluster;
using SageServe.Runtime.Execution;
using SageServe.Runtime.Scheduling;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Hosting;

/// <summary>The inside of a silo: the activation directory, the registry, the clock, the deadline tracker.</summary>
internal sealed class SiloRuntime : IGrainFactory, IDisposable
{
    private readonly ConcurrentDictionary<GrainId, Activation> _directory = new();
    private readonly ConcurrentDictionary<GrainId, long> _ordinals = new();
    private readonly Dictionary<Type, GrainRegistration> _byInterface;
    private readonly Dictionary<string, GrainRegistration> _byTypeName;
    private readonly Dictionary<string, IGrainStorage> _storages;
    private readonly ITimer? _collector;
    private long _activationsCreated;
    private long _deactivations;

    public SiloRuntime(
        SiloOptions options,
        IWorkExecutor executor,
        IRuntimeClock clock,
        IReadOnlyList<GrainRegistration> registrations,
        IReadOnlyDictionary<string, IGrainStorage> storages)
    {
        Options = options;
        Executor = executor;
        Clock = clock;
        _byInterface = registrations.ToDictionary(r => r.InterfaceType);
        _byTypeName = registrations.ToDictionary(r => r.TypeName, StringComparer.Ordinal);
        _storages = new Dictionary<string, IGrainStorage>(storages, StringComparer.Ordinal);
        Calls = new CallTracker(clock);
        if (options.CollectionAge != Timeout.InfiniteTimeSpan)
        {
            _collector = clock.CreateTimer(static s => ((SiloRuntime)s!).Collect(), this, options.CollectionQuantum, options.CollectionQuantum, keepsAlive: false);
        }
    }

    public SiloOptions Options { get; }

    public IWorkExecutor Executor { get; }

    public IRuntimeClock Clock { get; }

    public CallTracker Calls { get; }

    /// <summary>The cluster this silo belongs to, or null for a stand-alone silo.</summary>
    public Cluster.Remoting.ClusterRouting? Cluster { get; set; }

    public IGrainFactory Factory => this;

    public int ActivationCount => _directory.Count;

    public long ActivationsCreated => Interlocked.Read(ref _activationsCreated);

    public long Deactivations => Interlocked.Read(ref _deactivations);

    /// <summary>Errors from timers and deactivation hooks, which have no caller to receive them.</summary>
    public event Action<GrainId, string, Exception>? UnobservedError;

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_byInterface.TryGetValue(typeof(TGrainInterface), out var registration))
        {
            throw new ArgumentException($"No grain implements {typeof(TGrainInterface).Name} in this silo; register it with SiloBuilder.AddGrain.");
        }

        return (TGrainInterface)registration.CreateReference(new GrainReference(this, new GrainId(registration.TypeName, key)));
    }

    /// <summary>A typed reference that always calls the local activation (for calls another silo routed here).</summary>
    public object CreateLocalReference(GrainId id) =>
        _byTypeName.TryGetValue(id.Type, out var registration)
            ? registration.CreateReference(new GrainReference(this, id, localOnly: true))
            : throw new ArgumentException($"Unknown grain type '{id.Type}'.");

    public IGrainStorage GetStorage(string name) =>
        _storages.TryGetValue(name, out var storage)
            ? storage
            : throw new InvalidOperationException($"No grain storage named '{name}' is configured; add one with SiloBuilder.AddGrainStorage(\"{name}\", …).");

    public Activation GetOrCreateActivation(GrainId id)
    {
        if (_directory.TryGetValue(id, out var existing))
        {
            return existing;
        }

        if (!_byTypeName.TryGetValue(id.Type, out var registration))
        {
            throw new ArgumentException($"Unknown grain type '{id.Type}'.");
        }

        return _directory.GetOrAdd(id, static (gid, state) =>
        {
            var (runtime, reg) = state;
            var ordinal = runtime._ordinals.AddOrUpdate(gid, 0, static (_, n) => n + 1);
            Interlocked.Increment(ref runtime._activationsCreated);
            return new Activation(runtime, reg, gid, ordinal);
        }, (this, registration));
    }

    public bool TryGetActivation(GrainId id, out Activation activation) => _directory.TryGetValue(id, out activation!);

    /// <summary>Delivers a request that lost its activation (deactivated meanwhile) to the grain's current one.</summary>
    public void Dispatch(Request request)
    {
        var id = request.Target.Id;
        if (Cluster is { } cluster)
        {
            // In a cluster the grain may have moved (that is often why its activation went away): only its owner may
            // activate it again. Refused here, the call did not run, so the caller may retry it.
            SiloAddress? owner;
            try
            {
                owner = cluster.RemoteOwner(id);
            }
            catch (SiloUnavailableException e)
            {
                request.Reject(e);
                return;
            }

            if (owner is not null)
            {
                request.Reject(new SiloUnavailableException($"{request.Descriptor.Name} on {id}: the grain moved to silo {owner} while the call waited; it did not run"));
                return;
            }
        }

        var activation = GetOrCreateActivation(id);
        request.Target = activation;
        activation.Receive(request);
    }

    public void RemoveActivation(Activation activation)
    {
        if (_directory.TryRemove(new KeyValuePair<GrainId, Activation>(activation.Id, activation)))
        {
            Interlocked.Increment(ref _deactivations);
        }
    }

    public IEnumerable<Activation> Activations => _directory.Values;

    private void Collect()
    {
        var oldest = Clock.Time.GetUtcNow().UtcTicks - Options.CollectionAge.Ticks;
        foreach (var activation in _directory.Values)
        {
            // A racy pre-check (live mode) keeps busy grains' queues clear; the activation re-checks on its own context.
            if (activation.IsIdle && activation.LastActivityTicks <= oldest)
            {
                activation.RequestCollectionCheck();
            }
        }
    }

    public void ReportTimerError(GrainId id, string timer, Exception error) => UnobservedError?.Invoke(id, $"timer {timer}", error);

    public void ReportDeactivationError(GrainId id, Exception error) => UnobservedError?.Invoke(id, "OnDeactivateAsync", error);

    public void Dispose()
    {
        _collector?.Dispose();
        Calls.Dispose();
    }
}
