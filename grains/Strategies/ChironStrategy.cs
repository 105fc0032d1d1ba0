using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Strategies;

/// <summary>
/// <c>Chiron</c>: per (region, model) an interactive pool, a mixed pool and a batch pool. Interactive requests overflow
/// to the mixed pool when the interactive pool's KV utilisation passes <see cref="OverflowAbove"/>; the interactive
/// and mixed pools scale out when more than <see cref="InteractiveShareAbove"/> of their instances hold interactive
/// work and they are busy (the share alone would scale out forever under steady traffic); the batch pool is sized so
/// the queued NIW tokens drain before the earliest deadline; the mixed pool also takes NIW work in its valleys.
/// </summary>
public sealed class ChironStrategy : IServingStrategy
{
    /// <summary>Interactive-pool KV utilisation above which interactive requests overflow to the mixed pool.</summary>
    public double OverflowAbove { get; init; } = 0.7;

    /// <summary>Share of instances holding interactive work above which the pool may scale out.</summary>
    public double InteractiveShareAbove { get; init; } = 0.6;

    /// <summary>Safety margin taken off the time to the earliest deadline when sizing the batch pool.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public string Name => "Chiron";

    /// <inheritdoc />
    public IReadOnlyList<PoolLayout> InitialPools(Deployment deployment, ScalingOptions options) =>
    [
        new PoolLayout(PoolRole.Interactive, Math.Max(deployment.Instances, options.Floor), options.Floor),
        new PoolLayout(PoolRole.Mixed, 1, 1),
        new PoolLayout(PoolRole.Batch, 1, 0),
    ];

    /// <inheritdoc />
    public RoutingTarget Route(InferenceRequest request, ModelPools pools, DateTimeOffset now)
    {
        if (request.Tier == Tier.NonInteractive)
        {
            return RoutingTarget.Queue;
        }

        var interactive = pools.Get(PoolRole.Interactive)!;
        var mixed = pools.Get(PoolRole.Mixed);
        return interactive.ServingUtilisation(now) > OverflowAbove && mixed is not null && mixed.ServingCount(now) > 0
            ? new RoutingTarget(mixed)
            : new RoutingTarget(interactive);
    }

    /// <inheritdoc />
    public int ScaleDelta(InstancePool pool, ModelPools pools, NiwQueue queue, DateTimeOffset now, ScalingOptions options)
    {
        if (pool.Role != PoolRole.Batch)
        {
            return ReactiveRule.Delta(pool, now, options, scaleOutAllowed: pool.ShareHoldingInteractive() > InteractiveShareAbove);
        }

        // Batch pool: enough instances to drain the queue (and what they already hold) before the earliest deadline.
        var backlog = queue.Tokens + pool.Slots.Sum(s => s.PendingTokens);
        int desired;
        if (backlog == 0)
        {
            desired = pool.Floor;
        }
        else
        {
            var slack = queue.TryPeek(out _, out var due) ? due - now - DeadlineMargin : TimeSpan.FromHours(1);
            var seconds = Math.Max(slack.TotalSeconds, 600);
            desired = Math.Max(pool.Floor, (int)Math.Ceiling(backlog / (pools.TokensPerSecondPerInstance * seconds)));
        }

        var active = pool.ActiveCount;
        if (desired > active && now - pool.LastScaleOut >= options.ScaleOutCooldown)
        {
            return desired - active;
        }

        if (desired < active && now - pool.LastScaleIn >= options.ScaleInCooldown && now - pool.LastScaleOut >= options.ScaleInCooldown)
        {
            return -1;
        }

        return 0;
    }

    /// <inheritdoc />
    public IEnumerable<(InstancePool Pool, bool Bands)> NiwReleaseTargets(ModelPools pools) =>
        [(pools.Get(PoolRole.Batch)!, false), (pools.Get(PoolRole.Mixed)!, true)];
}
