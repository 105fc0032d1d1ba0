using SageServe.Grains.Domain;
using SageServe.Planning.Capacity;
using SageServe.Simulation.Performance;

namespace SageServe.Simulation.Fleet;

/// <summary>
/// What one instance of a model on a SKU can do: its fitted latency model and KV capacity. Built once from the
/// embedded performance profile (one immutable snapshot shared by every simulated worker).
/// </summary>
public sealed class PerformanceCatalog
{
    private readonly Dictionary<(string Model, string Sku), InstanceProfile> _profiles;

    private PerformanceCatalog(Dictionary<(string, string), InstanceProfile> profiles, SkuCatalogOptions skus)
    {
        _profiles = profiles;
        Skus = skus;
    }

    /// <summary>The SKU catalogue (prices, GPUs).</summary>
    public SkuCatalogOptions Skus { get; }

    /// <summary>Every (model, SKU) with a profile.</summary>
    public IEnumerable<InstanceProfile> Profiles => _profiles.Values;

    /// <summary>
    /// The reference catalogue: models A–D fitted from <c>perf_model_4_models.csv</c>; on each SKU an instance uses
    /// the largest profiled tensor-parallel degree that fits one VM (TP 8 on the reference 8-GPU VMs).
    /// </summary>
    public static PerformanceCatalog Reference(SkuCatalogOptions? skus = null)
    {
        skus ??= new SkuCatalogOptions();
        var profiles = new Dictionary<(string, string), InstanceProfile>();
        foreach (var group in PerfModelFitter.FitReferenceModels().GroupBy(m => (m.Model, m.Sku)))
        {
            var sku = skus.Find(group.Key.Sku);
            var model = ModelProfile.Find(group.Key.Model);
            if (sku is null || model is null)
            {
                continue; // a profiled variant we have no price or architecture for (e.g. power-capped H100)
            }

            var latency = group.Where(m => m.TensorParallel <= sku.Gpus).MaxBy(m => m.TensorParallel);
            if (latency is null)
            {
                continue;
            }

            var kv = skus.KvCapacityTokens(model, sku, latency.TensorParallel);
            if (kv > 0)
            {
                profiles[(group.Key.Model, group.Key.Sku)] = new InstanceProfile(new ModelId(model.Model), new SkuId(sku.Sku), latency, kv, sku);
            }
        }

        return new PerformanceCatalog(profiles, skus);
    }

    /// <summary>The profile of <paramref name="model"/> on <paramref name="sku"/>.</summary>
    /// <exception cref="KeyNotFoundException">Not profiled; the message lists what is.</exception>
    public InstanceProfile Get(ModelId model, SkuId sku) =>
        _profiles.TryGetValue((model.Name, sku.Name), out var profile)
            ? profile
            : throw new KeyNotFoundException(
                $"No performance profile for model {model} on {sku}; profiled: {string.Join(", ", _profiles.Keys.Select(k => $"{k.Model}@{k.Sku}"))}.");

    /// <summary>Whether <paramref name="model"/> on <paramref name="sku"/> is profiled.</summary>
    public bool Contains(ModelId model, SkuId sku) => _profiles.ContainsKey((model.Name, sku.Name));
}

/// <summary>One instance of a model on a SKU.</summary>
/// <param name="Model">The model.</param>
/// <param name="Sku">The VM type.</param>
/// <param name="Latency">Its fitted latency model.</param>
/// <param name="KvCapacityTokens">KV-cache tokens it holds.</param>
/// <param name="SkuProfile">GPUs and prices of the VM.</param>
public sealed record InstanceProfile(ModelId Model, SkuId Sku, LatencyModel Latency, long KvCapacityTokens, SkuProfile SkuProfile);
