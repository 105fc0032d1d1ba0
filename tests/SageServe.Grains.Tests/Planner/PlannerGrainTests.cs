using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Planner;
using SageServe.Grains.Regions;
using SageServe.Grains.Strategies;
using SageServe.Grains.Tests.Regions;
using SageServe.Runtime;
using SageServe.Runtime.Hosting;
using SageServe.Runtime.Storage;

namespace SageServe.Grains.Tests.Planner;

public sealed class PlannerGrainTests
{
    private static readonly DateTimeOffset s_epoch = new(2026, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly RegionId s_west = new("westus");
    private static readonly ModelId s_a = new("A");

    private static (Silo Silo, List<IReadOnlyList<RegionPlan>> Plans) Build(IGrainStorage storage, IReadOnlyList<double> warmUp)
    {
        var plans = new List<IReadOnlyList<RegionPlan>>();
        var services = new ControlPlaneServices(
            new FleetTopology([new Deployment(s_west, s_a, new SkuId("a100"), 2)]),
            new FixedLatencyWorkerFactory(slots: 8),
            new CountingObserver())
        {
            Strategy = new LongTermStrategy(LongTermMode.Immediate),
            Capacity = (_, _) => new InstanceCapacity(100_000, 5_000, 8, 32, PromptTokensPerSecond: 100),
            PlannerHistory = (_, _) => warmUp,
            PlanObserver = (_, p) => plans.Add(p),
        };
        var silo = new SiloBuilder()
            .AddControlPlaneGrains(services)
            .AddGrainStorage(StorageNames.Default, storage)
            .Configure(o => o.CollectionAge = Timeout.InfiniteTimeSpan)
            .UseDeterministicScheduler(s_epoch)
            .Build();
        return (silo, plans);
    }

    [Fact]
    public void Planner_SizesFromTheForecast_AndResumesFromItsStateAfterReactivation()
    {
        // Yesterday ran at 60,000 prompt tokens per minute: at 100 tok/s × 0.8 planned utilisation an instance plans
        // 4,800 tok/min, so the target is about 13 instances (the forecaster's upper quantile adds a little).
        var storage = new MemoryGrainStorage();
        var (silo, plans) = Build(storage, Enumerable.Repeat(60_000.0, 24 * 60).ToArray());
        var planner = silo.GrainFactory.GetGrain<IPlannerGrain>("cluster");

        silo.Simulation!.Run(() => planner.StartAsync(0).AsTask());
        silo.Simulation.RunFor(TimeSpan.FromHours(2).Add(TimeSpan.FromMinutes(1)));

        Assert.Equal(3, plans.Count); // at 0 h, 1 h, 2 h
        var first = plans[0].Single().Models.Single();
        Assert.InRange(first.Instances, 12, 16);
        Assert.Contains("holt-winters", first.Reason, StringComparison.Ordinal);

        silo.Deactivate(new GrainId("planner", "cluster"));
        silo.Simulation.RunUntilIdle();
        Assert.False(silo.IsActive(new GrainId("planner", "cluster")));
        Assert.Equal(3, silo.Simulation.Run(() => planner.StartAsync(0).AsTask())); // state came back from storage
    }

    [Fact]
    public void Planner_WithoutHistory_KeepsTheCurrentFleet()
    {
        var (silo, plans) = Build(new MemoryGrainStorage(), []);
        silo.Simulation!.Run(() => silo.GrainFactory.GetGrain<IPlannerGrain>("cluster").StartAsync(0).AsTask());
        silo.Simulation.RunFor(TimeSpan.FromMinutes(1));

        var target = plans.Single().Single().Models.Single();
        Assert.Equal(2, target.Instances);
        Assert.Contains("no history", target.Reason, StringComparison.Ordinal);
    }
}
