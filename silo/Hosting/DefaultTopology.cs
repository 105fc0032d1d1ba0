using System.Collections.Immutable;
using SageServe.Grains.Domain;

namespace SageServe.Silo.Hosting;

/// <summary>The fleet a fresh live silo starts with: the reference regions and models, a fixed number of instances each.</summary>
public static class DefaultTopology
{
    /// <summary>The reference regions.</summary>
    public static readonly ImmutableArray<RegionId> Regions = [new("westus"), new("centralus"), new("eastus")];

    /// <summary>The reference models (A = Llama-2-70B … D, as in the performance profile).</summary>
    public static readonly ImmutableArray<ModelId> Models = [new("A"), new("B"), new("C"), new("D")];

    /// <summary>The reference VM type.</summary>
    public static readonly SkuId Sku = new("a100-80gb");

    /// <summary>3 regions × 4 models × <paramref name="instancesPerModel"/> instances on a100-80gb.</summary>
    public static FleetTopology Create(int instancesPerModel = 2) =>
        new([.. Regions.SelectMany(r => Models.Select(m => new Deployment(r, m, Sku, instancesPerModel)))]);
}
