using SageServe.Runtime.Scheduling;

namespace SageServe.Runtime.Hosting;

/// <summary>
/// An in-process silo: hosts activations of the registered grains on one scheduler. Under the deterministic scheduler,
/// drive it with <see cref="Simulation"/> (<c>Run</c>, <c>RunUntil</c>, <c>RunUntilIdle</c>).
/// </summary>
public sealed class Silo : IAsyncDisposable
{
    private readonly SiloRuntime _runtime;

    internal Silo(SiloRuntime runtime, DeterministicScheduler? simulation)
    {
        _runtime = runtime;
        Simulation = simulation;
    }

    /// <summary>References to this silo's grains.</summary>
    public IGrainFactory GrainFactory => _runtime;

    /// <summary>The silo's clock.</summary>
    public TimeProvider Time => _runtime.Clock.Time;

    /// <summary>The deterministic scheduler, or null in live mode.</summary>
    public DeterministicScheduler? Simulation { get; }

    /// <summary>The options in force.</summary>
    public SiloOptions Options => _runtime.Options;

    /// <summary>Activations alive now.</summary>
    public int ActivationCount => _runtime.ActivationCount;

    /// <summary>Activations created since start.</summary>
    public long ActivationsCreated => _runtime.ActivationsCreated;

    /// <summary>Activations that went away since start.</summary>
    public long Deactivations => _runtime.Deactivations;

    /// <summary>Calls sent and not yet completed.</summary>
    public int CallsInFlight => _runtime.Calls.InFlight;

    /// <summary>Errors with no caller to receive them (timer callbacks, deactivation hooks).</summary>
    public event Action<GrainId, string, Exception>? UnobservedError
    {
        add => _runtime.UnobservedError += value;
        remove => _runtime.UnobservedError -= value;
    }

    /// <summary>The cluster routing, or null for a stand-alone silo.</summary>
    public Cluster.Remoting.ClusterRouting? Cluster => _runtime.Cluster;

    /// <summary>The grains with an activation here now, sorted.</summary>
    public IReadOnlyList<GrainId> ActiveGrains() =>
        [.. _runtime.Activations.Where(a => a.State != Execution.ActivationState.Invalid).Select(a => a.Id).OrderBy(g => g.Type, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="grainId"/> has an activation now.</summary>
    public bool IsActive(GrainId grainId) => _runtime.TryGetActivation(grainId, out _);

    /// <summary>Asks <paramref name="grainId"/>'s activation (if any) to deactivate once its current turns end.</summary>
    public void Deactivate(GrainId grainId)
    {
        if (_runtime.TryGetActivation(grainId, out var activation))
        {
            activation.RequestDeactivation();
        }
    }

    /// <summary>Asks every activation to deactivate (their <c>OnDeactivateAsync</c> runs).</summary>
    public void DeactivateAll()
    {
        foreach (var activation in _runtime.Activations)
        {
            activation.RequestDeactivation();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _runtime.Dispose();
        return ValueTask.CompletedTask;
    }
}
