namespace SageServe.Planning.Capacity;

/// <summary>
/// The SKU catalogue and memory assumptions used for capacity. Defaults: 8×A100-80GB and 8×H100-80GB VMs.
/// </summary>
/// <remarks>
/// Prices are approximate Azure pay-as-you-go list prices (US regions) and change over time:
/// ND96amsr A100 v4 ≈ $32.77/h, ND96isr H100 v5 ≈ $98.32/h. Spot is modelled as 40% of on-demand, a typical
/// discount for these SKUs, not a quoted price. Override them for real cost studies.
/// </remarks>
public sealed record SkuCatalogOptions
{
    /// <summary>On-demand price of an 8×A100-80GB VM (default 32.77 USD/h, approximate list price).</summary>
    public double A100OnDemandUsdPerHour { get; init; } = 32.77;

    /// <summary>On-demand price of an 8×H100-80GB VM (default 98.32 USD/h, approximate list price).</summary>
    public double H100OnDemandUsdPerHour { get; init; } = 98.32;

    /// <summary>Spot price as a fraction of on-demand (default 0.4).</summary>
    public double SpotPriceFraction { get; init; } = 0.4;

    /// <summary>Share of GPU memory usable for weights plus KV cache (default 0.9).</summary>
    public double UsableMemoryFraction { get; init; } = 0.9;

    /// <summary>The catalogue these options describe.</summary>
    public IReadOnlyList<SkuProfile> Skus =>
    [
        new("a100-80gb", 8, 80, A100OnDemandUsdPerHour, A100OnDemandUsdPerHour * SpotPriceFraction),
        new("h100-80gb", 8, 80, H100OnDemandUsdPerHour, H100OnDemandUsdPerHour * SpotPriceFraction),
    ];

    /// <summary>Finds a SKU by name.</summary>
    /// <returns>The SKU, or null when unknown.</returns>
    public SkuProfile? Find(string sku) => Skus.FirstOrDefault(s => string.Equals(s.Sku, sku, StringComparison.OrdinalIgnoreCase));

    /// <summary>KV-cache tokens one instance of <paramref name="model"/> holds at tensor parallelism <paramref name="tensorParallel"/> on <paramref name="sku"/>.</summary>
    public long KvCapacityTokens(ModelProfile model, SkuProfile sku, int tensorParallel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sku);
        if (tensorParallel < 1 || tensorParallel > sku.Gpus)
        {
            throw new ArgumentOutOfRangeException(nameof(tensorParallel), tensorParallel, $"must be between 1 and {sku.Gpus} on {sku.Sku}");
        }

        return model.KvCapacityTokens(tensorParallel, sku.GpuMemoryGigabytes, UsableMemoryFraction);
    }
}
