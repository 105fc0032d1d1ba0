namespace SageServe.Planning.Capacity;

/// <summary>A GPU VM type and what it costs.</summary>
/// <param name="Sku">SKU name (e.g. <c>a100-80gb</c>), matching the latency profile's hardware column.</param>
/// <param name="Gpus">GPUs per VM.</param>
/// <param name="GpuMemoryGigabytes">Memory per GPU in GiB.</param>
/// <param name="OnDemandUsdPerHour">On-demand price of one VM, USD per hour.</param>
/// <param name="SpotUsdPerHour">Spot price of one VM, USD per hour.</param>
public sealed record SkuProfile(string Sku, int Gpus, double GpuMemoryGigabytes, double OnDemandUsdPerHour, double SpotUsdPerHour);
