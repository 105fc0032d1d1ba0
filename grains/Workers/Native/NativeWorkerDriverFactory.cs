using SageServe.Grains.Domain;

namespace SageServe.Grains.Workers.Native;

/// <summary>
/// Makes <see cref="NativeWorkerDriver"/>s: each instance (or VM) gets its own engine (its own "model" in memory).
/// Creating a driver loads it; its owner — a VM grain on unload or deactivation, an instance grain on deactivation —
/// disposes it. The factory also destroys every engine still alive when it is disposed (silo shutdown), so none
/// outlives the process's control plane.
/// </summary>
public sealed class NativeWorkerDriverFactory : IWorkerDriverFactory, IDisposable
{
    private readonly NativeWorkerDriverOptions _options;
    private readonly TimeProvider _time;
    private readonly List<NativeWorkerDriver> _created = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates the factory; loads the native library now so a missing one fails at start-up.</summary>
    /// <param name="options">Engine shape and time slicing for every driver.</param>
    /// <param name="time">Source of step timestamps (<see cref="TimeProvider.System"/> live).</param>
    /// <exception cref="DllNotFoundException">The native library is missing; the message says how to build it.</exception>
    public NativeWorkerDriverFactory(NativeWorkerDriverOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        NativeLibraryLocator.EnsureLoaded();
        _options = options;
        _time = time;
    }

    /// <summary>Drivers created and not yet disposed with the factory (including those their owner disposed since).</summary>
    public int Created
    {
        get
        {
            lock (_gate)
            {
                return _created.Count;
            }
        }
    }

    /// <summary>Engines alive now: created and not yet disposed by their owner or the factory (models in memory).</summary>
    public int Live
    {
        get
        {
            lock (_gate)
            {
                return _created.Count(d => !d.Engine.IsDisposed);
            }
        }
    }

    /// <inheritdoc />
    public IWorkerDriver Create(RegionId region, ModelId model, SkuId sku, string instanceKey)
    {
        var driver = new NativeWorkerDriver(_options, _time);
        lock (_gate)
        {
            if (_disposed)
            {
                driver.Dispose();
                throw new ObjectDisposedException(nameof(NativeWorkerDriverFactory), $"Instance {instanceKey}: the native worker factory was disposed (silo shutting down).");
            }

            // Forget engines their owners already destroyed, so a long-lived silo that loads and unloads keeps a
            // bounded list.
            _created.RemoveAll(d => d.Engine.IsDisposed);
            _created.Add(driver);
        }

        return driver;
    }

    /// <summary>Destroys every engine this factory created. Idempotent.</summary>
    public void Dispose()
    {
        List<NativeWorkerDriver> drivers;
        lock (_gate)
        {
            _disposed = true;
            drivers = [.. _created];
            _created.Clear();
        }

        foreach (var driver in drivers)
        {
            driver.Dispose();
        }
    }
}
