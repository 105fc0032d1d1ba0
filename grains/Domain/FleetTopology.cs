using System.Collections.Immutable;

namespace SageServe.Grains.Domain;

/// <summary>Where each model is deployed at start: instances per (region, model) and their SKU.</summary>
/// <param name="Deployments">One entry per (region, model).</param>
public sealed record FleetTopology(ImmutableArray<Deployment> Deployments)
{
    /// <summary>The regions, in first-mention order.</summary>
    public IEnumerable<RegionId> Regions => Deployments.Select(d => d.Region).Distinct();

    /// <summary>The deployments of one region.</summary>
    public IEnumerable<Deployment> In(RegionId region) => Deployments.Where(d => d.Region == region);

    /// <summary>The key of instance <paramref name="index"/> of <paramref name="model"/> in <paramref name="region"/>.</summary>
    public static string InstanceKey(RegionId region, ModelId model, int index) => $"{region.Name}/{model.Name}/{index}";

    /// <summary>Parses an instance key made by <see cref="InstanceKey"/>.</summary>
    /// <exception cref="FormatException">Not of the form <c>region/model/index</c>.</exception>
    public static (RegionId Region, ModelId Model, int Index) ParseInstanceKey(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !int.TryParse(parts[2], out var index) || index < 0)
        {
            throw new FormatException($"Instance key '{key}' is not of the form region/model/index.");
        }

        return (new RegionId(parts[0]), new ModelId(parts[1]), index);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid deployment.</summary>
    public void Validate()
    {
        var seen = new HashSet<(RegionId, ModelId)>();
        foreach (var d in Deployments)
        {
            if (string.IsNullOrWhiteSpace(d.Region.Name) || d.Region.Name.Contains('/', StringComparison.Ordinal) ||
                string.IsNullOrWhiteSpace(d.Model.Name) || d.Model.Name.Contains('/', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Deployment {d}: region and model names must be non-empty and contain no '/'.");
            }

            if (d.Instances < 0 || d.SpotVms < 0)
            {
                throw new ArgumentException($"Deployment {d.Region}/{d.Model}: instances and spot VMs must be ≥ 0 (got {d.Instances}, {d.SpotVms}).");
            }

            if (!seen.Add((d.Region, d.Model)))
            {
                throw new ArgumentException($"Deployment {d.Region}/{d.Model} is listed twice.");
            }
        }
    }
}

/// <summary>Instances of one model in one region.</summary>
/// <param name="Region">The region.</param>
/// <param name="Model">The model.</param>
/// <param name="Sku">The GPU VM type its instances run on.</param>
/// <param name="Instances">How many instances at start.</param>
/// <param name="SpotVms">
/// VMs of the region's shared pool that hold this model but are donated to the spot pool at start: scale-outs
/// reclaim them first (a minute, not a new VM's many). Not counted as serving GPU-hours while donated.
/// </param>
public sealed record Deployment(RegionId Region, ModelId Model, SkuId Sku, int Instances, int SpotVms = 0);
