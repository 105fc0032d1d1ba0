using SageServe.Grains.Domain;
using SageServe.Planning.Capacity;
using SageServe.Grains.Hosting;
using SageServe.Grains.Instances;
using SageServe.Grains.Regions;
using SageServe.Grains.Strategies;
using SageServe.Runtime.Hosting;
using SageServe.Runtime.Storage;
using SageServe.Runtime.Scheduling;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Metrics;

namespace SageServe.Simulation.Experiments;

/// <summary>
/// Replays a workload through the real control-plane grains under the deterministic scheduler: each request is
/// released at its arrival instant as a front-end would send it (route at its home region, then submit to the chosen
/// instance), simulated workers serve it, and the metrics collector books the outcome. The workload is streamed.
/// </summary>
public static class SimulationRunner
{
    /// <summary>Runs <paramref name="workload"/> (in arrival order) under <paramref name="strategy"/> and returns the books.</summary>
    /// <param name="workload">Requests sorted by arrival.</param>
    /// <param name="strategy">The serving strategy.</param>
    /// <param name="options">The fleet, the clock, the cut-off.</param>
    /// <param name="progress">Receives the virtual time reached, now and then.</param>
    /// <exception cref="ArgumentException">The workload is not sorted by arrival.</exception>
    public static StrategyRun Run(IEnumerable<InferenceRequest> workload, IServingStrategy strategy, SimulationOptions options, IProgress<TimeSpan>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(options);
        options.Scaling.Validate();
        var metrics = new MetricsCollector(options.Catalog, ReferenceSku(options.Topology), options.Epoch, options.Slo) { Bucket = options.Bucket };
        var fleet = new FleetCollector(options.Epoch, options.Bucket);
        var services = new ControlPlaneServices(options.Topology, new SimulatedWorkerFactory(options.Catalog, options.MaxBatch), metrics)
        {
            Strategy = strategy,
            Scaling = options.Scaling,
            Faults = options.Faults,
            PlannerHistory = options.PlannerHistory,
            PlanObserver = options.PlanObserver,
            Planner = options.Planner with { Mode = ServingStrategies.PlanningModeOf(strategy) },
            Fleet = fleet,
            Capacity = (model, sku) => Capacity(options, model, sku),
        };
        var silo = new SiloBuilder()
            .AddControlPlaneGrains(services)
            .AddGrainStorage(StorageNames.Default, new MemoryGrainStorage())
            .Configure(o =>
            {
                o.Name = "simulation";
                o.Seed = options.Seed;
                o.CollectionAge = Timeout.InfiniteTimeSpan;
            })
            .UseDeterministicScheduler(options.Epoch)
            .Build();
        var sim = silo.Simulation!;
        var frontEnd = new FrontEnd(silo, metrics, services.Planner.RoundTrip);

        // Regions start at the epoch (their control ticks and fleet samples), whether or not traffic reaches them early.
        sim.Run(() => Task.WhenAll(options.Topology.Regions.Select(r => silo.GrainFactory.GetGrain<IRegionGrain>(r.Name).GetSnapshotAsync(0).AsTask())));
        if (ServingStrategies.UsesPlanner(strategy))
        {
            sim.Run(() => silo.GrainFactory.GetGrain<Grains.Planner.IPlannerGrain>("cluster").StartAsync(0).AsTask());
        }

        long count = 0;
        var last = TimeSpan.Zero;
        var nextProgress = TimeSpan.Zero;
        foreach (var request in workload)
        {
            if (request.Arrival < last)
            {
                throw new ArgumentException($"Request {request.Id} arrives at {request.Arrival}, before the previous one ({last}); the workload must be sorted.", nameof(workload));
            }

            last = request.Arrival;
            var at = options.Epoch + request.Arrival;
            if (at > sim.Now)
            {
                sim.RunUntil(at);
            }

            sim.Root.Enqueue(FrontEnd.Start, (frontEnd, request));
            count++;
            if (request.Arrival >= nextProgress)
            {
                progress?.Report(request.Arrival);
                nextProgress = request.Arrival + TimeSpan.FromMinutes(10);
            }
        }

        sim.RunUntilIdle(options.Epoch + last + options.DrainLimit);
        var end = sim.Now;
        var snapshots = sim.Run(() => Task.WhenAll(options.Topology.Regions.Select(r => silo.GrainFactory.GetGrain<IRegionGrain>(r.Name).GetSnapshotAsync(0).AsTask())));
        fleet.Close(end);
        progress?.Report(end - options.Epoch);
        return new StrategyRun(strategy.Name, metrics, fleet, count, snapshots.Sum(s => s.NiwOverdue), options.Epoch, end, last);
    }

    /// <summary>What one instance of <paramref name="model"/> on <paramref name="sku"/> offers, from the catalogue.</summary>
    public static InstanceCapacity Capacity(SimulationOptions options, ModelId model, SkuId sku)
    {
        var profile = options.Catalog.Get(model, sku);
        var requestsPerSecond = StaticFleetSizer.RequestsPerSecond(profile, 32, options.MeanPromptTokens, options.MeanOutputTokens);
        var batchTokens = (long)(options.MaxBatch * (options.MeanPromptTokens + options.MeanOutputTokens));
        var heldTokens = Math.Min(profile.KvCapacityTokens, batchTokens);

        // Aladdin's capacity at the SLO, with the KV bounded to what the worker's batch can hold.
        var slo = new CapacityModel(
            profile.Latency, heldTokens, CapacityModelWorkload.FromMeans((int)options.MeanPromptTokens, (int)options.MeanOutputTokens),
            CapacityModelOptions.Default with { TtftBase = options.Slo.TtftBase, TtftPrefillMultiple = options.Slo.TtftPrefillMultiple, MeanTbt = options.Slo.MaxMeanTimeBetweenTokens });
        return new InstanceCapacity(
            heldTokens,
            requestsPerSecond * (options.MeanPromptTokens + options.MeanOutputTokens),
            profile.SkuProfile.Gpus,
            profile.SkuProfile.OnDemandUsdPerHour,
            requestsPerSecond * options.MeanPromptTokens,
            slo.MaxPromptTokensPerSecond);
    }

    private static Func<ModelId, SkuId> ReferenceSku(FleetTopology topology)
    {
        var byModel = topology.Deployments.GroupBy(d => d.Model).ToDictionary(g => g.Key, g => g.First().Sku);
        return model => byModel.TryGetValue(model, out var sku) ? sku : new SkuId("a100-80gb");
    }

    /// <summary>The trace replayer's front-end: one async flow per request, on the scheduler's root context.</summary>
    private sealed class FrontEnd(Silo silo, MetricsCollector metrics, Func<string, string, TimeSpan> roundTrip)
    {
        public static readonly Action<object?> Start = static state =>
        {
            var (frontEnd, request) = ((FrontEnd, InferenceRequest))state!;
            _ = frontEnd.HandleAsync(request);
        };

        private readonly Dictionary<RegionId, IRegionGrain> _regions = [];
        private readonly Dictionary<string, IModelInstanceGrain> _instances = new(StringComparer.Ordinal);

        private async Task HandleAsync(InferenceRequest request)
        {
            try
            {
                var decision = await Region(request.HomeRegion).RouteAsync(request);
                if (decision.Outcome == RouteOutcome.Forward)
                {
                    // The hop to the other region costs its round trip before the request gets there.
                    await Task.Delay(roundTrip(request.HomeRegion.Name, decision.Region.Name), silo.Time);
                    decision = await Region(decision.Region).RouteForwardedAsync(request);
                }

                if (decision.Outcome == RouteOutcome.Routed)
                {
                    await Instance(decision.InstanceKey!).SubmitAsync(request);
                }
            }
            catch (Exception e)
            {
                // Never silently dropped: a control-plane failure is booked as a rejection with its cause.
                metrics.OnRejected(request, $"control-plane error: {e.GetType().Name}: {e.Message}", silo.Time.GetUtcNow());
            }
        }

        private IRegionGrain Region(RegionId region)
        {
            if (!_regions.TryGetValue(region, out var grain))
            {
                grain = silo.GrainFactory.GetGrain<IRegionGrain>(region.Name);
                _regions.Add(region, grain);
            }

            return grain;
        }

        private IModelInstanceGrain Instance(string key)
        {
            if (!_instances.TryGetValue(key, out var grain))
            {
                grain = silo.GrainFactory.GetGrain<IModelInstanceGrain>(key);
                _instances.Add(key, grain);
            }

            return grain;
        }
    }
}
