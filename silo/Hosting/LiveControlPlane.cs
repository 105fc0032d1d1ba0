using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Instances;
using SageServe.Grains.Regions;
using SageServe.Grains.Scaling;
using SageServe.Grains.Vms;
using SageServe.Grains.Workers;
using SageServe.Grains.Workers.Native;
using SageServe.Runtime.Hosting;
using SageServe.Runtime.Storage;
using SageServe.Silo.Api;
using SageServe.Simulation.Experiments;
using SageServe.Simulation.Fleet;

namespace SageServe.Silo.Hosting;

/// <summary>
/// The live silo behind the HTTP API: control-plane grains on the live scheduler, grain state in a
/// <see cref="FileGrainStorage"/>, simulated workers in real time, plus the bits of live state the API owns
/// (NIW dispatch, completion ledger, drained instances, policy name).
/// </summary>
public sealed class LiveControlPlane : IAsyncDisposable
{
    private readonly Runtime.Hosting.Silo _silo;
    private readonly Dictionary<string, IRegionGrain> _regions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IModelInstanceGrain> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _drained = new(StringComparer.Ordinal);
    private readonly NiwDispatcher _niw;
    private readonly RecentRoutes _recent = new();
    private readonly CancellationTokenSource _stopKeepAlive = new();
    private readonly Task _keepAlive;
    private readonly NativeWorkerDriverFactory? _nativeWorkers;
    private readonly SiloCluster? _cluster;
    private readonly NiwSweeper? _sweeper;
    private long _nextRequestId;
    private string _policy = "least-pending-tokens";

    /// <summary>Builds and starts the silo: stand-alone, or a member of <paramref name="cluster"/> (grain state in its blob storage).</summary>
    public LiveControlPlane(SiloHostOptions options, SiloMetrics metrics, Action<string>? log = null, SiloCluster? cluster = null)
    {
        _cluster = cluster;
        Metrics = metrics;
        Strategy = options.Strategy;
        Planner = new LivePlanner(options, metrics, log);
        Topology = DefaultTopology.Create(options.InstancesPerModel);
        InstanceKeys = [.. Topology.Deployments.SelectMany(d => Enumerable.Range(0, d.Instances).Select(i => FleetTopology.InstanceKey(d.Region, d.Model, i)))];
        Storage = cluster is not null ? cluster.Storage : new FileGrainStorage(Path.Combine(options.DataDir, "grains"));

        // Request ids must not collide between silos (regions key their books by them): each silo draws from its own range.
        _nextRequestId = cluster is null ? 0 : (long)(cluster.Address.StableHash() & 0x7FFFF) << 40;
        NiwDispatcher? niw = null;
        var catalog = PerformanceCatalog.Reference();
        var observer = new LiveRequestObserver(metrics, () => niw, () => StartedAt, catalog, DefaultTopology.Sku, Planner.Traffic);
        var sizing = new SimulationOptions { Topology = Topology, Catalog = catalog };
        // Native workers: one real CPU engine per instance, destroyed with the plane (see NativeWorkerDriverFactory).
        _nativeWorkers = options.Workers == "native" ? new NativeWorkerDriverFactory(new NativeWorkerDriverOptions(), TimeProvider.System) : null;
        IWorkerDriverFactory workers = _nativeWorkers is not null ? _nativeWorkers : new SimulatedWorkerFactory(catalog);
        var vms = VmLayout.FromTopology(Topology);
        var services = new ControlPlaneServices(Topology, workers, observer)
        {
            // Each initial instance is its VM's model: the VM grain owns the worker and loads/unloads it on command.
            Vms = vms,
            Strategy = Grains.Strategies.ServingStrategies.Create(options.Strategy),
            Capacity = (model, sku) => SimulationRunner.Capacity(sizing, model, sku),

            // Live, a control tick each second keeps queued NIW work moving promptly (cheap at this scale).
            Scaling = new ScalingOptions { Interval = TimeSpan.FromSeconds(1) },
            Fleet = new LiveFleetObserver(metrics),
            Planner = Planner.Options,
            PlannerHistory = Planner.WarmUp,
            PlanObserver = Planner.OnPlan,
        };
        var builder = new SiloBuilder()
            .Configure(o => o.Name = cluster?.Address.ToString() ?? "live")
            .UseLiveScheduler();
        if (cluster is not null)
        {
            builder.UseCluster(cluster.Routing);
        }

        _silo = builder
            .AddGrainStorage(StorageNames.Default, Storage)
            .AddControlPlaneGrains(services)
            .AddGrain<INiwJobGrain, NiwJobGrain>("niw-job", () => new NiwJobGrain(this), r => new NiwJobGrainReference(r))
            .Build();
        _silo.UnobservedError += (id, where, e) => log?.Invoke($"grain {id} ({where}): {e.Message}");
        StartedAt = cluster?.Epoch ?? _silo.Time.GetUtcNow();
        Planner.Attach(_silo.GrainFactory, _silo.Time);
        Vms = new LiveVms(vms, _silo.GrainFactory, () => _nativeWorkers?.Live);
        foreach (var region in Topology.Regions)
        {
            _regions[region.Name] = _silo.GrainFactory.GetGrain<IRegionGrain>(region.Name);
        }

        niw = _niw = new NiwDispatcher(Job, NextRequestId, (job, e) => log?.Invoke($"NIW job {job}: {e.Message}"));
        Ledger = new CompletionLedger();
        Journal = cluster is null ? new NiwJournal(options.DataDir) : null;
        _sweeper = cluster is null ? null : new NiwSweeper(this, cluster, log);
        if (cluster is not null)
        {
            metrics.ObserveCluster(() => cluster.Agent.Snapshot.ActiveEntries().Count, () => cluster.Routing.RemoteCallsSent, () => cluster.Routing.RemoteCallsReceived);
        }
        _keepAlive = KeepAliveAsync(log);
    }

    /// <summary>Ids of accepted NIW jobs (for recovery after a restart); null in a cluster, where the job records in blob storage are listed instead.</summary>
    public NiwJournal? Journal { get; }

    /// <summary>The cluster membership, or null for a stand-alone silo.</summary>
    public SiloCluster? Cluster => _cluster;

    /// <summary>The VMs (their home models are loaded by <see cref="LiveVms.BootAsync"/> before the API opens).</summary>
    public LiveVms Vms { get; }

    /// <summary>The deployments.</summary>
    public FleetTopology Topology { get; }

    /// <summary>Every instance key, in topology order.</summary>
    public ImmutableArray<string> InstanceKeys { get; }

    /// <summary>The grain storage: files under the data dir, or the cluster's blob container.</summary>
    public IGrainStorage Storage { get; }

    /// <summary>The instruments.</summary>
    public SiloMetrics Metrics { get; }

    /// <summary>When the silo started — in a cluster, the cluster's epoch (request arrival offsets are measured from here).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The planner grain's live view: latest plan, forecast vs actual (see <see cref="EnsurePlannerAsync"/>).</summary>
    public LivePlanner Planner { get; }

    /// <summary>
    /// Activates the planner grain on this silo (its hourly timer starts; kept active); call when this silo becomes the
    /// planner's owner. Idempotent. Returns the number of plans made so far.
    /// </summary>
    public Task<int> EnsurePlannerAsync() => Planner.EnsureStartedAsync();

    /// <summary>NIW dispatch.</summary>
    public NiwDispatcher Niw => _niw;

    /// <summary>Completion reports received.</summary>
    public CompletionLedger Ledger { get; }

    /// <summary>The silo (for shutdown and diagnostics).</summary>
    public Runtime.Hosting.Silo Silo => _silo;

    /// <summary>The serving strategy the regions run (<c>--strategy</c>).</summary>
    public string Strategy { get; }

    /// <summary>The policy name set through the control API.</summary>
    public string Policy
    {
        get => Volatile.Read(ref _policy);
        set => Volatile.Write(ref _policy, value);
    }

    /// <summary>Whether <paramref name="region"/> is served here.</summary>
    public bool HasRegion(string region) => _regions.ContainsKey(region);

    /// <summary>Whether <paramref name="model"/> is deployed anywhere.</summary>
    public bool HasModel(string model) => Topology.Deployments.Any(d => d.Model.Name == model);

    /// <summary>Whether <paramref name="instance"/> is an instance key of the topology.</summary>
    public bool HasInstance(string instance) => InstanceKeys.Contains(instance, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="instance"/> was drained through the control API.</summary>
    public bool IsDrained(string instance) => _drained.ContainsKey(instance);

    /// <summary>Drains <paramref name="instance"/> in its region (no new requests; replaced if below the floor).</summary>
    /// <returns>Whether it was serving and is now draining.</returns>
    public async Task<bool> DrainAsync(string instance)
    {
        var (region, _, _) = FleetTopology.ParseInstanceKey(instance);
        var changed = await _regions[region.Name].DrainInstanceAsync(instance).ConfigureAwait(false);
        _drained.TryAdd(instance, true);
        return changed;
    }

    /// <summary>A fresh internal request id.</summary>
    public long NextRequestId() => Interlocked.Increment(ref _nextRequestId);

    /// <summary>The job grain <paramref name="jobId"/>.</summary>
    public INiwJobGrain Job(string jobId) => _silo.GrainFactory.GetGrain<INiwJobGrain>(jobId);

    /// <summary>The region grain <paramref name="region"/> (must exist).</summary>
    public IRegionGrain Region(string region) => _regions[region];

    /// <summary>The instance grain <paramref name="instance"/>.</summary>
    public IModelInstanceGrain Instance(string instance) =>
        _instances.GetOrAdd(instance, static (key, silo) => silo.GrainFactory.GetGrain<IModelInstanceGrain>(key), _silo);

    /// <summary>
    /// Routes one request at its home region. An interactive request that was routed is also submitted to its
    /// instance so the simulated worker serves it; a routed non-interactive one is left for the caller to serve and
    /// report (its pending tokens are freed by <see cref="ReportCompletionAsync"/>). A caller-supplied id seen recently
    /// gets the decision it got the first time (idempotent retries).
    /// </summary>
    public Task<RouteResult> RouteAsync(string requestId, ModelId model, Tier tier, ImmutableArray<RegionId> preference, int promptTokens, int outputTokens, bool callerSuppliedId = true) =>
        callerSuppliedId
            ? _recent.GetOrRouteAsync(requestId, () => RouteOnceAsync(requestId, model, tier, preference, promptTokens, outputTokens))
            : RouteOnceAsync(requestId, model, tier, preference, promptTokens, outputTokens);

    private async Task<RouteResult> RouteOnceAsync(string requestId, ModelId model, Tier tier, ImmutableArray<RegionId> preference, int promptTokens, int outputTokens)
    {
        var started = Stopwatch.GetTimestamp();
        var id = NextRequestId();
        var request = new InferenceRequest(id, _silo.Time.GetUtcNow() - StartedAt, model, tier, preference, promptTokens, outputTokens);
        var decision = await _regions[request.HomeRegion.Name].RouteAsync(request).ConfigureAwait(false);
        if (decision.Outcome == RouteOutcome.Forward)
        {
            // The plan serves part of this region's load elsewhere: the target region routes it locally.
            decision = await _regions[decision.Region.Name].RouteForwardedAsync(request).ConfigureAwait(false);
        }

        string outcome;
        var reason = decision.Reason;
        if (decision.Outcome == RouteOutcome.Queued)
        {
            // NIW accepted into the region's queue: released to an instance when there is room, served there.
            outcome = "queued";
        }
        else if (decision.Outcome == RouteOutcome.Rejected || decision.InstanceKey is null)
        {
            outcome = "rejected";
        }
        else if (tier == Tier.Interactive)
        {
            bool accepted;
            try
            {
                accepted = await Instance(decision.InstanceKey).SubmitAsync(request).ConfigureAwait(false);
            }
            catch (Runtime.SiloUnavailableException)
            {
                // The instance could not take it (moving between silos) and it did not run: free what the region
                // booked for it, then let the caller retry (503).
                await _regions[decision.Region.Name].ReportCompletionsAsync(new CompletionReport(
                    decision.InstanceKey, 0, promptTokens + outputTokens, promptTokens + outputTokens, Rejected: 1, RejectionReason: "instance unreachable; retried by the caller")).ConfigureAwait(false);
                throw;
            }

            outcome = accepted ? "routed" : "rejected";
            reason = accepted ? reason : $"refused by instance {decision.InstanceKey}";
        }
        else
        {
            outcome = decision.Outcome == RouteOutcome.Queued ? "queued" : "routed";
            Ledger.Expect(requestId, decision.InstanceKey, promptTokens + outputTokens);
        }

        Metrics.RecordDecision(outcome, Stopwatch.GetElapsedTime(started));
        var instance = outcome == "rejected" ? null : decision.InstanceKey;
        return new RouteResult(requestId, outcome, decision.Region.Name, instance, instance is null ? null : $"sim://{instance}", reason);
    }

    /// <summary>Records a completion; frees the pending tokens of a caller-served request. Idempotent by request id.</summary>
    public async Task<CompletionResult> ReportCompletionAsync(string requestId, string instance)
    {
        var (duplicate, expected) = Ledger.Complete(requestId, instance);
        if (expected is { } e)
        {
            var (region, _, _) = FleetTopology.ParseInstanceKey(e.Instance);
            await _regions[region.Name].ReportCompletionsAsync(new CompletionReport(e.Instance, 1, e.Tokens)).ConfigureAwait(false);
        }

        return new CompletionResult(requestId, Accepted: true, duplicate, expected?.Tokens ?? 0);
    }

    /// <summary>
    /// Re-queues the NIW jobs a previous run accepted and did not finish (listed in the journal), and compacts the
    /// journal to them. Returns how many were re-queued.
    /// </summary>
    public async Task<int> RecoverNiwJobsAsync()
    {
        if (Journal is null)
        {
            // In a cluster the NIW sweeper (on the singleton owner) finds unfinished jobs in blob storage.
            return 0;
        }

        var pending = new List<string>();
        foreach (var jobId in await Journal.ReadAsync().ConfigureAwait(false))
        {
            if (Api.RequestValidator.IdProblem(jobId) is not null)
            {
                continue;
            }

            if (await Job(jobId).RecoverAsync(0).ConfigureAwait(false) == true)
            {
                pending.Add(jobId);
                _niw.EnqueueDispatch(jobId);
            }
        }

        await Journal.RewriteAsync(pending).ConfigureAwait(false);
        return pending.Count;
    }

    /// <summary>The silo that owns <paramref name="grain"/> under this silo's view (this one when stand-alone).</summary>
    public string? OwnerOf(Runtime.GrainId grain) => _cluster is null ? "local" : _cluster.Routing.OwnerOf(grain)?.ToString();

    /// <summary>Whether the silo <paramref name="address"/> (as <see cref="OwnerOf"/> spells it) is active under this silo's view.</summary>
    public bool IsSiloActive(string address) =>
        _cluster is null
            ? address == "local"
            : _cluster.Agent.Snapshot.Entries.Any(e => e.Status == Runtime.Cluster.SiloStatus.Active && e.Address.ToString() == address);

    /// <summary>Whether this silo hosts the cluster's singletons (the planner, the NIW sweeper) under its view.</summary>
    public bool IsSingletonOwner =>
        _cluster is null || Runtime.Cluster.PlacementDirector.GetSingletonOwner(_cluster.Agent.Snapshot) is { } owner && owner.Equals(_cluster.Address);

    /// <summary>The planner grain's id.</summary>
    public static Runtime.GrainId PlannerId { get; } = new("planner", "cluster");

    /// <summary>Whether the planner is activated on this silo.</summary>
    public bool PlannerActiveHere => _silo.IsActive(PlannerId);

    /// <summary>Starts the cluster duties (keeping the singletons alive where they belong, sweeping stalled NIW jobs).</summary>
    public void StartClusterDuties() => _sweeper?.Start();

    /// <summary>Region snapshots and instance loads.</summary>
    public async Task<(IReadOnlyList<RegionSnapshot> Regions, IReadOnlyDictionary<string, InstanceLoad> Loads)> SnapshotAsync()
    {
        var regions = await Task.WhenAll(_regions.Values.Select(r => r.GetSnapshotAsync(0).AsTask())).ConfigureAwait(false);
        var loads = await Task.WhenAll(InstanceKeys.Select(async k => (k, await Instance(k).GetLoadAsync(0).ConfigureAwait(false)))).ConfigureAwait(false);
        return (regions, loads.ToDictionary(p => p.k, p => p.Item2, StringComparer.Ordinal));
    }

    /// <summary>Stops dispatching, asks every grain to deactivate and waits (bounded) for them to go.</summary>
    public async Task<int> DeactivateAllAsync(TimeSpan timeout)
    {
        await Planner.StopAsync().ConfigureAwait(false);
        await _stopKeepAlive.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        }

        await _niw.DisposeAsync().ConfigureAwait(false);
        var before = _silo.ActivationCount;
        _silo.DeactivateAll();
        var waited = Stopwatch.StartNew();
        while (_silo.ActivationCount > 0 && waited.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }

        return before - _silo.ActivationCount;
    }

    /// <summary>
    /// Region and instance grains keep their counters and workers in memory; touching them well within the silo's
    /// idle-collection age keeps a quiet live silo from resetting its books (job grains still get collected).
    /// </summary>
    private async Task KeepAliveAsync(Action<string>? log)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), _silo.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopKeepAlive.Token).ConfigureAwait(false))
            {
                try
                {
                    await SnapshotAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log?.Invoke($"keep-alive: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopKeepAlive.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        _stopKeepAlive.Dispose();
        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        }

        await _niw.DisposeAsync().ConfigureAwait(false);
        await Planner.DisposeAsync().ConfigureAwait(false);
        await _silo.DisposeAsync().ConfigureAwait(false);
        _nativeWorkers?.Dispose();
    }
}
