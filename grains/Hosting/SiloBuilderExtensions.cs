using SageServe.Grains.Instances;
using SageServe.Grains.Regions;
using SageServe.Grains.Vms;
using SageServe.Runtime.Hosting;

namespace SageServe.Grains.Hosting;

/// <summary>Registers the control-plane grains with a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Adds the Region, ModelInstance, Vm and Planner grains, wired to <paramref name="services"/>.</summary>
    public static SiloBuilder AddControlPlaneGrains(this SiloBuilder builder, ControlPlaneServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Topology.Validate();
        return builder
            .AddGrain<IRegionGrain, RegionGrain>("region", () => new RegionGrain(services), r => new RegionGrainReference(r))
            .AddGrain<IModelInstanceGrain, ModelInstanceGrain>("instance", () => new ModelInstanceGrain(services), r => new ModelInstanceGrainReference(r))
            .AddGrain<Planner.IPlannerGrain, Planner.PlannerGrain>("planner", () => new Planner.PlannerGrain(services), r => new Planner.PlannerGrainReference(r))
            .AddGrain<IVmGrain, VmGrain>("vm", () => new VmGrain(services), r => new VmGrainReference(r));
    }
}
