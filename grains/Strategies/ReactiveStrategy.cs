using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Strategies;

/// <summary>
/// <c>Reactive</c>: one unified pool per (region, model) serving both tiers, scaled by the reactive rule; NIW work
/// waits in the region's queue and is released into valleys (utilisation ≤ 0.5, up to 0.6) or when its deadline nears.
/// </summary>
public class ReactiveStrategy : IServingStrategy
{
    /// <inheritdoc />
    public virtual string Name => "Reactive";

    /// <inheritdoc />
    public IReadOnlyList<PoolLayout> InitialPools(Deployment deployment, ScalingOptions options) =>
        [new PoolLayout(PoolRole.Unified, Math.Max(deployment.Instances, options.Floor), options.Floor)];

    /// <inheritdoc />
    public RoutingTarget Route(InferenceRequest request, ModelPools pools, DateTimeOffset now) =>
        request.Tier == Tier.NonInteractive ? RoutingTarget.Queue : new RoutingTarget(pools.Get(PoolRole.Unified));

    /// <inheritdoc />
    public virtual int ScaleDelta(InstancePool pool, ModelPools pools, NiwQueue queue, DateTimeOffset now, ScalingOptions options) =>
        ReactiveRule.Delta(pool, now, options);

    /// <inheritdoc />
    public IEnumerable<(InstancePool Pool, bool Bands)> NiwReleaseTargets(ModelPools pools) => [(pools.Get(PoolRole.Unified)!, true)];
}
