using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Grains.Workers;

namespace SageServe.Grains.Hosting;

/// <summary>What the control-plane grains depend on, given to them at construction (one immutable snapshot).</summary>
/// <param name="Topology">Where models are deployed.</param>
/// <param name="Workers">Makes each instance's worker.</param>
/// <param name="Observer">Receives request outcomes (metrics).</param>
public sealed record ControlPlaneServices(FleetTopology Topology, IWorkerDriverFactory Workers, IRequestObserver Observer);
