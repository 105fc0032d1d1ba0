using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Instances;
using SageServe.Grains.Regions;
using SageServe.Runtime.Hosting;

namespace SageServe.Grains.Tests.Regions;

public sealed class RoutingSliceTests
{
    private static readonly DateTimeOffset s_epoch = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly RegionId s_west = new("westus");
    private static readonly RegionId s_east = new("eastus");

    private static FleetTopology Topology() => new(
    [
        new Deployment(s_west, new ModelId("A"), new SkuId("a100"), 4),
        new Deployment(s_west, new ModelId("B"), new SkuId("a100"), 2),
        new Deployment(s_east, new ModelId("A"), new SkuId("a100"), 3),
    ]);

    private static (Silo Silo, CountingObserver Observer) Build(int seed, int slots = 8)
    {
        var observer = new CountingObserver();
        var services = new ControlPlaneServices(Topology(), new FixedLatencyWorkerFactory(slots), observer)
        {
            Capacity = (_, _) => new InstanceCapacity(KvTokens: 100_000, TokensPerSecond: 5_000, Gpus: 8, UsdPerHour: 32),
        };
        var silo = new SiloBuilder()
            .AddControlPlaneGrains(services)
            .Configure(o =>
            {
                o.Seed = seed;
                o.CollectionAge = Timeout.InfiniteTimeSpan;
            })
            .UseDeterministicScheduler(s_epoch)
            .Build();
        return (silo, observer);
    }

    private static List<InferenceRequest> Workload(int count, int seed)
    {
        var random = new Random(seed);
        var models = new[] { "A", "A", "A", "B", "C" }; // C is deployed nowhere: rejected
        var at = TimeSpan.Zero;
        var list = new List<InferenceRequest>(count);
        for (var i = 0; i < count; i++)
        {
            at += TimeSpan.FromMilliseconds(random.Next(0, 60));
            var home = random.Next(3) == 0 ? s_east : s_west;
            var prompt = i % 997 == 0 ? 500_000 : random.Next(1, 4000); // a few never fit the KV cache
            list.Add(new InferenceRequest(i, at, new ModelId(models[random.Next(models.Length)]), Tier.Interactive, [home], prompt, random.Next(1, 600)));
        }

        return list;
    }

    private static void Replay(Silo silo, IReadOnlyList<InferenceRequest> workload)
    {
        var sim = silo.Simulation!;
        sim.Run(async () =>
        {
            foreach (var request in workload)
            {
                var wait = s_epoch + request.Arrival - sim.Now;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, sim.Time);
                }

                var decision = await silo.GrainFactory.GetGrain<IRegionGrain>(request.HomeRegion.Name).RouteAsync(request);
                if (decision.Outcome == RouteOutcome.Routed)
                {
                    await silo.GrainFactory.GetGrain<IModelInstanceGrain>(decision.InstanceKey!).SubmitAsync(request);
                }
            }
        });
        sim.RunUntilIdle();
    }

    [Fact]
    public void TenThousandRequests_UnderDeterministicScheduler_EveryOneAccountedForExactlyOnce()
    {
        var (silo, observer) = Build(seed: 3);
        var workload = Workload(10_000, seed: 11);

        Replay(silo, workload);

        Assert.Equal(10_000, observer.Arrived.Count);
        Assert.Equal(10_000, observer.Final.Count); // nothing still running after the run drained, nothing lost
        var rejected = observer.Final.Values.Count(v => v.StartsWith("rejected", StringComparison.Ordinal));
        Assert.Equal(workload.Count(r => r.Model.Name == "C" || (r.Model.Name == "B" && r.HomeRegion == s_east)) +
                     workload.Count(r => r.PromptTokens > 100_000 && !(r.Model.Name == "C" || (r.Model.Name == "B" && r.HomeRegion == s_east))),
            rejected);
        Assert.Contains(observer.Final.Values, v => v == "rejected: model C is not deployed in westus");
        Assert.Contains(observer.Final.Values, v => v == "rejected: does not fit in the KV cache");

        // Every completion respects causality and the worker's latency.
        foreach (var c in observer.Completions.Values)
        {
            Assert.True(c.FirstTokenAt >= c.SubmittedAt + TimeSpan.FromMilliseconds(200));
            Assert.Equal(c.FirstTokenAt + (TimeSpan.FromMilliseconds(20) * c.Request.OutputTokens), c.CompletedAt);
            Assert.Equal(c.Request.HomeRegion.Name, c.InstanceKey.Split('/')[0]);
        }

        // The regions' books agree with the observer, and no pending tokens are left behind.
        foreach (var region in new[] { s_west, s_east })
        {
            var snapshot = silo.Simulation!.Run(() => silo.GrainFactory.GetGrain<IRegionGrain>(region.Name).GetSnapshotAsync(0).AsTask());
            var arrivedHere = workload.Count(r => r.HomeRegion == region);
            Assert.Equal(arrivedHere, snapshot.Arrived);
            Assert.Equal(snapshot.Arrived, snapshot.Completed + snapshot.Rejected.Values.Sum());
            Assert.All(snapshot.PendingTokensByInstance.Values, p => Assert.Equal(0, p));
        }
    }

    [Fact]
    public void Routing_SpreadsLoadAcrossInstancesByPendingTokens()
    {
        var (silo, observer) = Build(seed: 3, slots: 1);
        // Eight equal requests arriving together: least-pending-tokens puts two on each of westus/A's four instances.
        var burst = Enumerable.Range(0, 8)
            .Select(i => new InferenceRequest(i, TimeSpan.Zero, new ModelId("A"), Tier.Interactive, ImmutableArray.Create(s_west), 100, 10))
            .ToList();

        Replay(silo, burst);

        var perInstance = observer.Completions.Values.GroupBy(c => c.InstanceKey).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, perInstance.Count);
        Assert.All(perInstance.Values, n => Assert.Equal(2, n));
    }

    [Fact]
    public void SameSeed_TwoRuns_IdenticalEventLogs()
    {
        var (silo1, observer1) = Build(seed: 5);
        var (silo2, observer2) = Build(seed: 5);
        var workload = Workload(2_000, seed: 7);

        Replay(silo1, workload);
        Replay(silo2, workload);

        Assert.Equal(observer1.Events, observer2.Events);
    }
}
