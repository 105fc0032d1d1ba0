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

    /// <summary>
    /// The configuration of <paramref name="capacity"/>'s model on <paramref name="sku"/>: capacity in prompt tokens/s
    /// (<see cref="Capacity.CapacityModel.MaxPromptTokensPerSecond"/>), the VM price pro rata for the GPUs the
    /// instance spans, and a start-up cost of <paramref name="startupTime"/> at that price.
    /// </summary>
    /// <param name="capacity">Capacity of one instance (its latency model names the model, SKU and TP).</param>
    /// <param name="sku">The SKU, with prices.</param>
    /// <param name="startupTime">GPU time lost when adding an instance (provisioning and/or model load).</param>
    /// <param name="spot">Price at the spot rate instead of on-demand.</param>
    /// <exception cref="ArgumentException">The latency model was fitted for another SKU, or its TP exceeds the VM's GPUs.</exception>
    public static DeploymentConfiguration FromCapacity(Capacity.CapacityModel capacity, Capacity.SkuProfile sku, TimeSpan startupTime, bool spot = false)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(sku);
        var latency = capacity.Latency;
        if (!string.Equals(latency.Sku, sku.Sku, StringComparison.OrdinalIgnoreCase) || latency.TensorParallel < 1 || latency.TensorParallel > sku.Gpus)
        {
            throw new ArgumentException(
                $"capacity of {latency.Model}/{latency.Sku}/tp{latency.TensorParallel} does not fit SKU {sku.Sku} ({sku.Gpus} GPUs per VM)", nameof(sku));
        }

        var usdPerHour = (spot ? sku.SpotUsdPerHour : sku.OnDemandUsdPerHour) * latency.TensorParallel / sku.Gpus;
        return new DeploymentConfiguration(
            latency.Model, sku.Sku, latency.TensorParallel, latency.TensorParallel, capacity.MaxPromptTokensPerSecond, usdPerHour, usdPerHour * startupTime.TotalHours);
    }
}
