using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;
using SageServe.Grains.Strategies;

namespace SageServe.Grains.Tests.Strategies;

public sealed class LongTermStrategyTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly ScalingOptions s_options = new();

    /// <summary>A unified pool of <paramref name="instances"/> serving instances of 1,000 tokens each, <paramref name="utilisation"/> busy.</summary>
    private static (InstancePool Pool, ModelPools Pools) Pool(int instances, double utilisation, int? target, double live = 0, double forecast = 0)
    {
        var pool = new InstancePool(new ModelId("A"), new SkuId("a100"), PoolRole.Unified, floor: 2);
        for (var i = 0; i < instances; i++)
        {
            pool.Slots.Add(new InstanceSlot($"r/A/{i}", pool.Model, pool.Sku, 8, 1_000, s_now.AddHours(-1), SlotState.Serving) { PendingTokens = (long)(1_000 * utilisation) });
        }

        var pools = new ModelPools(pool.Model, [pool], 100);
        pools.Plan.TargetInstances = target;
        pools.Plan.LivePromptTokensLastMinute = live;
        pools.Plan.ForecastPromptTokensPerMinute = forecast;
        return (pool, pools);
    }

    private static int Delta(LongTermMode mode, (InstancePool Pool, ModelPools Pools) p) =>
        new LongTermStrategy(mode).ScaleDelta(p.Pool, p.Pools, new NiwQueue(), s_now, s_options);

    [Fact]
    public void Immediate_FollowsTheTargetBothWays()
    {
        Assert.Equal(3, Delta(LongTermMode.Immediate, Pool(4, 0.1, target: 7)));
        Assert.Equal(-2, Delta(LongTermMode.Immediate, Pool(6, 0.9, target: 4)));
        Assert.Equal(-2, Delta(LongTermMode.Immediate, Pool(4, 0.1, target: 1))); // never below the floor of 2
    }

    [Fact]
    public void Utilisation_ReleasesPlannedScaleOutOnlyUnderLoad()
    {
        Assert.Equal(0, Delta(LongTermMode.Utilisation, Pool(4, 0.3, target: 6)));
        Assert.InRange(Delta(LongTermMode.Utilisation, Pool(4, 0.6, target: 6)), 1, 2);
    }

    [Fact]
    public void Utilisation_ScalesInAtOnceAndAddsAnEmergencyInstanceAboveNinety()
    {
        Assert.Equal(-3, Delta(LongTermMode.Utilisation, Pool(7, 0.2, target: 4)));
        Assert.Equal(1, Delta(LongTermMode.Utilisation, Pool(4, 0.95, target: 4)));
        Assert.Equal(0, Delta(LongTermMode.Utilisation, Pool(4, 0.85, target: 4)));
    }

    [Fact]
    public void UtilisationAnomaly_TriggersOnLiveTokensAboveKTimesTheForecast()
    {
        Assert.Equal(1, Delta(LongTermMode.UtilisationAnomaly, Pool(4, 0.3, target: 4, live: 6_000, forecast: 1_000)));
        Assert.Equal(0, Delta(LongTermMode.UtilisationAnomaly, Pool(4, 0.95, target: 4, live: 4_000, forecast: 1_000)));
    }

    [Fact]
    public void BeforeTheFirstPlan_BehavesReactively()
    {
        Assert.True(Delta(LongTermMode.UtilisationAnomaly, Pool(4, 0.9, target: null)) > 0);
        Assert.Equal(-1, Delta(LongTermMode.Utilisation, Pool(4, 0.1, target: null)));
    }

    [Fact]
    public void Names_AreThoseOfTheSpec()
    {
        Assert.Equal(["LT-I", "LT-U", "LT-UA"], new[] { LongTermMode.Immediate, LongTermMode.Utilisation, LongTermMode.UtilisationAnomaly }.Select(m => new LongTermStrategy(m).Name));
        Assert.Equal("LT-UA", ServingStrategies.Create("lt-ua").Name);
        Assert.Equal("SageServe+", ServingStrategies.Create("sageserve+").Name);
        Assert.Contains("available:", Assert.Throws<ArgumentException>(() => ServingStrategies.Create("LT-Z")).Message, StringComparison.Ordinal);
    }
}
