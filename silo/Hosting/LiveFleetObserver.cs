using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Grains.Scaling;
using SageServe.Silo.Api;

namespace SageServe.Silo.Hosting;

/// <summary>Live scaling telemetry: every action a region takes becomes a <c>sageserve.scaling.actions</c> count. Called inside grain turns: only a counter increment.</summary>
internal sealed class LiveFleetObserver(SiloMetrics metrics) : IFleetObserver
{
    public void OnScaled(RegionId region, ModelId model, PoolRole pool, ScalingAction action, DateTimeOffset at) =>
        metrics.RecordScaling(region.Name, model.Name, action.ToString());

    public void OnSample(RegionId region, FleetSample sample, DateTimeOffset at)
    {
    }
}
