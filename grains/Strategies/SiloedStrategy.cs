using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Strategies;

/// <summary>
/// <c>Siloed</c> (the "current production" baseline): separate interactive and batch pools per (region, model), each
/// scaled reactively on its own load; NIW requests go straight to the batch pool and queue in its workers.
/// </summary>
public sealed class SiloedStrategy : IServingStrategy
{
    /// <inheritdoc />
    public string Name => "Siloed";

    /// <inheritdoc />
    public IReadOnlyList<PoolLayout> InitialPools(Deployment deployment, ScalingOptions options) =>
    [
        new PoolLayout(PoolRole.Interactive, Math.Max(deployment.Instances, options.Floor), options.Floor),
        new PoolLayout(PoolRole.Batch, Math.Max(1, (int)Math.Ceiling(deployment.Instances * 0.2)), 1),
    ];

    /// <inheritdoc />
    public RoutingTarget Route(InferenceRequest request, ModelPools pools, DateTimeOffset now) =>
        new(pools.Get(request.Tier == Tier.NonInteractive ? PoolRole.Batch : PoolRole.Interactive));

    /// <inheritdoc />
    public int ScaleDelta(InstancePool pool, ModelPools pools, NiwQueue queue, DateTimeOffset now, ScalingOptions options) =>
        ReactiveRule.Delta(pool, now, options);

    /// <inheritdoc />
    public IEnumerable<(InstancePool Pool, bool Bands)> NiwReleaseTargets(ModelPools pools) => [];
}
