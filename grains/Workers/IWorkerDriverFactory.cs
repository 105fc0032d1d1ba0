using SageServe.Grains.Domain;

namespace SageServe.Grains.Workers;

/// <summary>Makes the worker behind one model instance.</summary>
public interface IWorkerDriverFactory
{
    /// <summary>Creates a worker serving <paramref name="model"/> on <paramref name="sku"/> in <paramref name="region"/>.</summary>
    IWorkerDriver Create(RegionId region, ModelId model, SkuId sku, string instanceKey);
}
