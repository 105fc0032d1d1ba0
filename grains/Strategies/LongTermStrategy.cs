using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Strategies;

/// <summary>How a long-term strategy follows the hourly plan inside the hour. Persisted: explicit, append-only.</summary>
public enum LongTermMode
{
    /// <summary><c>LT-I</c>: apply the targets at once; nothing reactive inside the hour.</summary>
    Immediate = 0,

    /// <summary><c>LT-U</c>: planned scale-outs only when utilisation passes the scale-out threshold; scale-ins at once; emergency scale-out above <see cref="LongTermStrategy.EmergencyUtilisation"/>.</summary>
    Utilisation = 1,

    /// <summary><c>LT-UA</c>: like LT-U, but the emergency trigger is live prompt tokens over the last minute above k × the forecast.</summary>
    UtilisationAnomaly = 2,
}

/// <summary>
/// The paper's long-term strategies: a unified pool per (region, model) whose size follows the planner's hourly
/// targets (forecast → instances), with NIW work queued and released into valleys as in <see cref="ReactiveStrategy"/>.
/// Before the first plan they behave reactively.
/// </summary>
public sealed class LongTermStrategy(LongTermMode mode) : IServingStrategy
{
    /// <summary>LT-U's emergency trigger: utilisation above this (default 0.9).</summary>
    public double EmergencyUtilisation { get; init; } = 0.9;

    /// <summary>LT-UA's emergency trigger: live tokens over k × the per-minute forecast (default k = 5).</summary>
    public double AnomalyFactor { get; init; } = 5;

    /// <summary>The mode.</summary>
    public LongTermMode Mode { get; } = mode;

    /// <inheritdoc />
    public string Name => Mode switch
    {
        LongTermMode.Immediate => "LT-I",
        LongTermMode.Utilisation => "LT-U",
        _ => "LT-UA",
    };

    /// <inheritdoc />
    public IReadOnlyList<PoolLayout> InitialPools(Deployment deployment, ScalingOptions options) =>
        [new PoolLayout(PoolRole.Unified, Math.Max(deployment.Instances, options.Floor), options.Floor)];

    /// <inheritdoc />
    public RoutingTarget Route(InferenceRequest request, ModelPools pools, DateTimeOffset now) =>
        request.Tier == Tier.NonInteractive ? RoutingTarget.Queue : new RoutingTarget(pools.Get(PoolRole.Unified));

    /// <inheritdoc />
    public int ScaleDelta(InstancePool pool, ModelPools pools, NiwQueue queue, DateTimeOffset now, ScalingOptions options)
    {
        if (pools.Plan.TargetInstances is not { } planned)
        {
            return ReactiveRule.Delta(pool, now, options);
        }

        var target = Math.Max(planned, pool.Floor);
        var active = pool.ActiveCount;
        if (Mode == LongTermMode.Immediate)
        {
            return target - active;
        }

        var utilisation = pool.Utilisation();
        var cooled = now - pool.LastScaleOut >= options.ScaleOutCooldown;
        if (active < target)
        {
            // Planned capacity is released when the load asks for it.
            return utilisation > options.ScaleOutAbove && cooled ? Math.Min(target - active, Math.Max(1, ReactiveRule.Delta(pool, now, options))) : 0;
        }

        var emergency = Mode == LongTermMode.Utilisation
            ? utilisation > EmergencyUtilisation
            : pools.Plan.LivePromptTokensLastMinute > AnomalyFactor * Math.Max(1, pools.Plan.ForecastPromptTokensPerMinute);
        if (emergency && cooled)
        {
            return 1; // beyond the plan; repaid when the next targets (or the scale-in below) bring it back
        }

        return active > target && now - pool.LastScaleOut >= options.ScaleOutCooldown ? target - active : 0;
    }

    /// <inheritdoc />
    public IEnumerable<(InstancePool Pool, bool Bands)> NiwReleaseTargets(ModelPools pools) => [(pools.Get(PoolRole.Unified)!, true)];
}
