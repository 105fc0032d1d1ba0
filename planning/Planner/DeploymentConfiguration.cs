namespace SageServe.Planning.Planner;

/// <summary>
/// One way to deploy a model: an instance on <see cref="Sku"/> at tensor parallelism <see cref="TensorParallel"/>,
/// with its per-instance capacity (from <see cref="Capacity.CapacityModel"/>) and its cost.
/// </summary>
/// <param name="Model">Model served.</param>
/// <param name="Sku">GPU VM SKU the instance runs on (quotas are per region and SKU).</param>
/// <param name="TensorParallel">GPUs one instance spans.</param>
/// <param name="Gpus">GPUs one instance counts against the quota (normally <paramref name="TensorParallel"/>).</param>
/// <param name="CapacityPerInstance">Load one instance serves within the SLO, in the problem's load unit
/// (SageServe uses prompt tokens/s: <see cref="Capacity.CapacityModel.MaxPromptTokensPerSecond"/>).</param>
/// <param name="UsdPerHour">Cost of one instance for one hour (VM price × GPUs / GPUs per VM).</param>
/// <param name="StartupUsd">One-off cost of adding an instance: the GPU time wasted while provisioning and loading
/// the model (e.g. 10 min × price for a new VM, 155 s × price for a model load).</param>
public sealed record DeploymentConfiguration(
    string Model,
    string Sku,
    int TensorParallel,
    int Gpus,
    double CapacityPerInstance,
    double UsdPerHour,
    double StartupUsd)
{
    /// <summary>Short label, e.g. <c>a100-80gb/tp8</c>.</summary>
    public string Label => $"{Sku}/tp{TensorParallel}";
}
