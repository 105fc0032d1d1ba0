using SageServe.Grains.Domain;
using SageServe.Grains.Workers;

namespace SageServe.Simulation.Fleet;

/// <summary>Makes a <see cref="SimulatedWorker"/> per instance from the performance catalogue.</summary>
/// <param name="catalog">Latency models and KV capacities.</param>
/// <param name="maxBatch">Most sequences per batch (default 64, the largest profiled batch).</param>
public sealed class SimulatedWorkerFactory(PerformanceCatalog catalog, int maxBatch = 64) : IWorkerDriverFactory
{
    /// <inheritdoc />
    public IWorkerDriver Create(RegionId region, ModelId model, SkuId sku, string instanceKey)
    {
        var profile = catalog.Get(model, sku);
        return new SimulatedWorker(profile.Latency, maxBatch, profile.KvCapacityTokens);
    }
}
