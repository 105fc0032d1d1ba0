namespace SageServe.Planning.Planner;

/// <summary>GPUs of one SKU a region may hold across all models; (region, SKU) pairs without a quota are unlimited.</summary>
/// <param name="Region">Region.</param>
/// <param name="Sku">SKU.</param>
/// <param name="Gpus">GPU quota (VMs × GPUs per VM).</param>
public sealed record RegionQuota(string Region, string Sku, int Gpus);
