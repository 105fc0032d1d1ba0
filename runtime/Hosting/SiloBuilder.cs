using SageServe.Runtime.Scheduling;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Hosting;

/// <summary>Composes a <see cref="Silo"/>: its grains, storages, scheduler and options.</summary>
public sealed class SiloBuilder
{
    private readonly List<GrainRegistration> _grains = [];
    private readonly Dictionary<string, IGrainStorage> _storages = new(StringComparer.Ordinal);
    private readonly SiloOptions _options = new();
    private Cluster.Remoting.ClusterRouting? _cluster;
    private Func<(IWorkExecutor Executor, IRuntimeClock Clock, DeterministicScheduler? Simulation)> _scheduler =
        static () => { var live = new LiveScheduler(); return (live, live, null); };

    /// <summary>Edits the options (validated at <see cref="Build"/>).</summary>
    public SiloBuilder Configure(Action<SiloOptions> configure)
    {
        configure(_options);
        return this;
    }

    /// <summary>
    /// Registers a grain type: <paramref name="typeName"/> names it in grain ids and storage, <paramref name="create"/>
    /// makes an implementation (closing over its dependencies), <paramref name="reference"/> wraps a
    /// <see cref="GrainReference"/> in the interface.
    /// </summary>
    public SiloBuilder AddGrain<TGrainInterface, TGrain>(string typeName, Func<TGrain> create, Func<GrainReference, TGrainInterface> reference)
        where TGrainInterface : class, IGrainWithStringKey
        where TGrain : Grain, TGrainInterface
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        if (_grains.Any(g => g.TypeName == typeName || g.InterfaceType == typeof(TGrainInterface)))
        {
            throw new ArgumentException($"Grain type '{typeName}' or interface {typeof(TGrainInterface).Name} is already registered.", nameof(typeName));
        }

        _grains.Add(new GrainRegistration(typeName, typeof(TGrainInterface), create, r => reference(r)));
        return this;
    }

    /// <summary>Adds a named grain storage (<see cref="StorageNames.Default"/> is used by grains that name none).</summary>
    public SiloBuilder AddGrainStorage(string name, IGrainStorage storage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _storages[name] = storage ?? throw new ArgumentNullException(nameof(storage));
        return this;
    }

    /// <summary>Live mode: the thread pool and <paramref name="time"/> (the system clock by default).</summary>
    public SiloBuilder UseLiveScheduler(TimeProvider? time = null)
    {
        _scheduler = () => { var live = new LiveScheduler(time); return (live, live, null); };
        return this;
    }

    /// <summary>Simulated mode: one thread, virtual time from <paramref name="start"/>; drive it via <see cref="Silo.Simulation"/>.</summary>
    public SiloBuilder UseDeterministicScheduler(DateTimeOffset start)
    {
        _scheduler = () => { var sim = new DeterministicScheduler(start); return (sim, sim, sim); };
        return this;
    }

    /// <summary>
    /// Makes the silo a member of a cluster: calls go to the grain's owner under <paramref name="routing"/>'s
    /// membership view (live scheduler only; the agent must be started before the silo serves calls).
    /// </summary>
    public SiloBuilder UseCluster(Cluster.Remoting.ClusterRouting routing)
    {
        _cluster = routing ?? throw new ArgumentNullException(nameof(routing));
        return this;
    }

    /// <summary>Validates and builds the silo.</summary>
    public Silo Build()
    {
        _options.Validate();
        var (executor, clock, simulation) = _scheduler();
        if (_cluster is not null && simulation is not null)
        {
            throw new InvalidOperationException("A clustered silo runs on the live scheduler; the deterministic scheduler simulates one silo.");
        }

        var runtime = new SiloRuntime(_options, executor, clock, _grains, _storages);
        if (_cluster is not null)
        {
            _cluster.Attach(runtime, _grains);
            runtime.Cluster = _cluster;
        }
        return new Silo(runtime, simulation);
    }
}
