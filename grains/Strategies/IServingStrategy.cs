using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Strategies;

/// <summary>
/// A serving strategy (SPEC §3): how a region lays out the pools of each model, where each request goes, when
/// pools grow or shrink, and where queued non-interactive work is released. Pure decisions over the region's books:
/// the region grain carries them out, so strategies are unit-testable without a silo.
/// </summary>
public interface IServingStrategy
{
    /// <summary>The name as in SPEC §3 (e.g. <c>Reactive</c>).</summary>
    string Name { get; }

    /// <summary>The pools of one deployment at start.</summary>
    IReadOnlyList<PoolLayout> InitialPools(Deployment deployment, ScalingOptions options);

    /// <summary>Where a new request goes: a pool, or (NIW) the region's queue.</summary>
    RoutingTarget Route(InferenceRequest request, ModelPools pools, DateTimeOffset now);

    /// <summary>Instances to add (&gt; 0) or remove (&lt; 0) in <paramref name="pool"/> now.</summary>
    int ScaleDelta(InstancePool pool, ModelPools pools, NiwQueue queue, DateTimeOffset now, ScalingOptions options);

    /// <summary>The pools queued NIW work is released into, in order, and whether the utilisation bands apply.</summary>
    IEnumerable<(InstancePool Pool, bool Bands)> NiwReleaseTargets(ModelPools pools);

    /// <summary>
    /// Which routable instance of <paramref name="pool"/> takes <paramref name="request"/> (null when none serves).
    /// Default: the one with the fewest pending tokens (join the shortest queue).
    /// </summary>
    InstanceSlot? Place(InferenceRequest request, InstancePool pool, DateTimeOffset now) => pool.LeastLoaded(now);
}

/// <summary>A pool at start.</summary>
/// <param name="Role">What it serves.</param>
/// <param name="Instances">Instances at start.</param>
/// <param name="Floor">Fewest instances it keeps.</param>
public readonly record struct PoolLayout(PoolRole Role, int Instances, int Floor);

/// <summary>Where a request goes.</summary>
/// <param name="Pool">The pool, or null to queue it.</param>
public readonly record struct RoutingTarget(InstancePool? Pool)
{
    /// <summary>Into the region's NIW queue.</summary>
    public static RoutingTarget Queue => new(null);
}

/// <summary>The pools of one model in one region, with its per-instance throughput estimate.</summary>
/// <param name="Model">The model.</param>
/// <param name="Pools">Its pools.</param>
/// <param name="TokensPerSecondPerInstance">Prompt + output tokens one instance completes per second at a healthy batch.</param>
public sealed record ModelPools(ModelId Model, IReadOnlyList<InstancePool> Pools, double TokensPerSecondPerInstance)
{
    /// <summary>What the planner last decided for this model here, and the live signals long-term strategies compare against.</summary>
    public ModelPlan Plan { get; } = new();

    /// <summary>The pool with <paramref name="role"/>, or null.</summary>
    public InstancePool? Get(PoolRole role)
    {
        foreach (var pool in Pools)
        {
            if (pool.Role == role)
            {
                return pool;
            }
        }

        return null;
    }
}

/// <summary>The planner's latest targets for one (region, model) and the live traffic signal (mutable, region-owned).</summary>
public sealed class ModelPlan
{
    /// <summary>Instances the planner wants serving (null before the first plan).</summary>
    public int? TargetInstances { get; set; }

    /// <summary>Forecast interactive prompt tokens per minute for the coming minutes (the plan's point forecast).</summary>
    public double ForecastPromptTokensPerMinute { get; set; }

    /// <summary>Interactive prompt tokens that arrived over the last 60 seconds.</summary>
    public double LivePromptTokensLastMinute { get; set; }
}
