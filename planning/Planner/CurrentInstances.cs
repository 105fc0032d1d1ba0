namespace SageServe.Planning.Planner;

/// <summary>Instances of a model deployed in a region now (hour 0), per configuration.</summary>
/// <param name="Model">Model.</param>
/// <param name="Region">Region.</param>
/// <param name="Sku">SKU of the configuration.</param>
/// <param name="TensorParallel">Tensor parallelism of the configuration.</param>
/// <param name="Count">Instances.</param>
public sealed record CurrentInstances(string Model, string Region, string Sku, int TensorParallel, int Count);
