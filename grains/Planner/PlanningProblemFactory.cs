using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Scaling;
using SageServe.Planning.Forecasting;
using SageServe.Planning.Planner;

namespace SageServe.Grains.Planner;

/// <summary>
/// Builds the planner's <see cref="PlanningProblem"/> from the fleet, per-instance capacities and the per-minute
/// history of each (region, model): forecasts every series out of sample and turns the upper quantile of each
/// hour's peak into the problem's load. Shared by the Planner grain and <c>sageserve plan</c>.
/// </summary>
public static class PlanningProblemFactory
{
    /// <summary>Builds the problem, and the per-series forecasts (point per minute, first hour) used for targets.</summary>
    public static (PlanningProblem Problem, Dictionary<(RegionId, ModelId), (double Point, HourlyDemand First)> Forecasts) Build(
        FleetTopology topology,
        Func<ModelId, SkuId, InstanceCapacity> capacityOf,
        ScalingOptions scaling,
        PlannerOptions options,
        Func<RegionId, ModelId, List<double>> history,
        IReadOnlyDictionary<(RegionId, ModelId), int> current,
        Plan? previous)
    {
        var hours = options.HorizonHours;
        var loads = new List<EndpointLoad>();
        var forecasts = new Dictionary<(RegionId, ModelId), (double, HourlyDemand)>();
        var configurations = new Dictionary<(string, string), DeploymentConfiguration>();
        var currentInstances = new List<CurrentInstances>();
        foreach (var d in topology.Deployments)
        {
            var capacity = capacityOf(d.Model, d.Sku);
            configurations.TryAdd((d.Model.Name, d.Sku.Name), new DeploymentConfiguration(
                d.Model.Name, d.Sku.Name, capacity.Gpus, capacity.Gpus,
                PlannedCapacity(capacity, options), capacity.UsdPerHour,
                capacity.UsdPerHour * (scaling.ProvisioningDelay + scaling.ModelLoadDelay).TotalHours));
            currentInstances.Add(new CurrentInstances(d.Model.Name, d.Region.Name, d.Sku.Name, capacity.Gpus,
                current.TryGetValue((d.Region, d.Model), out var n) ? n : d.Instances));

            var series = history(d.Region, d.Model);
            if (series.Count == 0)
            {
                continue; // no history: the plan keeps the floor / the current fleet
            }

            var forecast = options.Forecaster.Forecast(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(series), 60 * hours, options.UpperQuantile);
            var hourly = PlannerSignal.Hourly(forecast, hours);
            loads.AddRange(EndpointLoad.FromSignal(d.Model.Name, d.Region.Name, hourly));
            forecasts[(d.Region, d.Model)] = (forecast.Point.Take(60).DefaultIfEmpty(0).Average(), hourly[0]);
        }

        var regions = topology.Regions.Select(r => r.Name).ToList();
        var skus = topology.Deployments.Select(d => d.Sku.Name).Distinct();
        var problem = new PlanningProblem
        {
            Models = topology.Deployments.Select(d => d.Model.Name).Distinct().ToList(),
            Regions = regions,
            Configurations = configurations.Values.ToList(),
            Hours = hours,
            InteractiveLoad = loads,
            Current = currentInstances,
            Quotas = [.. regions.SelectMany(r => skus.Select(k => new RegionQuota(r, k, scaling.QuotaVmsPerRegionSku * configurations.Values.First(c => c.Sku == k).Gpus)))],
            Routes = options.Mode == PlanningMode.CoOptimising
                ? RoutingLink.WithinSlo(regions, options.RoundTrip, options.RoutingSlack, usdPerLoadHourPerSecond: 0.001)
                : [],
            FloorPerEndpoint = scaling.Floor,
            Previous = previous,
        };
        return (problem, forecasts);
    }

    /// <summary>
    /// What one instance is planned to carry: the reference sizes from a fixed-batch throughput estimate; the
    /// co-optimising planner from the SLO-derived capacity model (Aladdin), which is the point of it.
    /// </summary>
    public static double PlannedCapacity(InstanceCapacity capacity, PlannerOptions options) =>
        options.Mode == PlanningMode.CoOptimising && capacity.SloPromptTokensPerSecond > 0
            ? capacity.SloPromptTokensPerSecond * options.SloCapacityUtilisation
            : capacity.PromptTokensPerSecond * options.PlannedUtilisation;
}
