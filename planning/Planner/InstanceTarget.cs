namespace SageServe.Planning.Planner;

/// <summary>Planned instances of one (model, region, configuration) in one hour, and the change from the hour before.</summary>
/// <param name="Model">Model.</param>
/// <param name="Region">Region.</param>
/// <param name="Sku">SKU of the configuration.</param>
/// <param name="TensorParallel">Tensor parallelism of the configuration.</param>
/// <param name="Hour">Planned hour (1-based).</param>
/// <param name="Count">Instances during the hour.</param>
/// <param name="Added">Instances added at the start of the hour.</param>
/// <param name="Removed">Instances removed at the start of the hour.</param>
public sealed record InstanceTarget(string Model, string Region, string Sku, int TensorParallel, int Hour, int Count, int Added, int Removed);
