using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Observability;

/// <summary>
/// Receives what regions do with their fleet, synchronously inside their turns: scaling actions as they happen and a
/// sample of the fleet at every control tick (from which GPU-hours, waste and time series are integrated).
/// </summary>
public interface IFleetObserver
{
    /// <summary>An instance was added (with where its VM came from) or scaled in.</summary>
    void OnScaled(RegionId region, ModelId model, PoolRole pool, ScalingAction action, DateTimeOffset at);

    /// <summary>The region's fleet now.</summary>
    void OnSample(RegionId region, FleetSample sample, DateTimeOffset at);
}

/// <summary>A scaling action. Persisted: explicit, append-only.</summary>
public enum ScalingAction
{
    /// <summary>Scale-out by reclaiming a donated VM that still holds the model.</summary>
    Reclaim = 0,

    /// <summary>Scale-out on another model's donated VM (model swap).</summary>
    Swap = 1,

    /// <summary>Scale-out on a new on-demand VM.</summary>
    NewVm = 2,

    /// <summary>Scale-in: the instance drains and its VM is donated.</summary>
    Release = 3,

    /// <summary>A scale-out that found no VM (quota exhausted, no donated VM).</summary>
    Denied = 4,

    /// <summary>Fault: a new VM failed to provision (its GPU time until then was wasted).</summary>
    ProvisioningFailed = 5,

    /// <summary>Fault: the spot market took back a donated VM.</summary>
    SpotPreempted = 6,

    /// <summary>Fault: a serving worker crashed; its requests were routed again.</summary>
    WorkerCrashed = 7,
}

/// <summary>One region's fleet at one instant.</summary>
/// <param name="Models">Per model.</param>
/// <param name="NiwQueued">NIW requests waiting in the region's queue.</param>
public sealed record FleetSample(IReadOnlyList<ModelFleet> Models, int NiwQueued);

/// <summary>One model's instances in a region.</summary>
/// <param name="Model">The model.</param>
/// <param name="Serving">Routable instances.</param>
/// <param name="Starting">Instances whose VM is being provisioned, reclaimed or loaded (held, not usable).</param>
/// <param name="Draining">Scaled-in instances finishing their work.</param>
/// <param name="GpusPerInstance">GPUs each holds.</param>
/// <param name="UsdPerHourPerInstance">What each costs per hour.</param>
public readonly record struct ModelFleet(ModelId Model, int Serving, int Starting, int Draining, int GpusPerInstance, double UsdPerHourPerInstance);

/// <summary>A fleet observer that ignores everything.</summary>
public sealed class NullFleetObserver : IFleetObserver
{
    /// <summary>The shared instance.</summary>
    public static NullFleetObserver Instance { get; } = new();

    /// <inheritdoc />
    public void OnScaled(RegionId region, ModelId model, PoolRole pool, ScalingAction action, DateTimeOffset at)
    {
    }

    /// <inheritdoc />
    public void OnSample(RegionId region, FleetSample sample, DateTimeOffset at)
    {
    }
}
