using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Instances;
using SageServe.Grains.Regions;
using SageServe.Grains.Scaling;
using SageServe.Grains.Tests.Regions;
using SageServe.Grains.Vms;
using SageServe.Grains.Workers;
using SageServe.Runtime.Hosting;
using SageServe.Runtime.Testing;

namespace SageServe.Grains.Tests.Vms;

/// <summary>
/// westus: A × 2 (westus/vm-0, vm-1), B × 1 (vm-2); C deployed only in eastus (vm-0 there). Fixed-latency workers
/// (200 ms prefill + 20 ms per output token, 4 at once), counted while alive. No reactive scale-in or floor, so the
/// region's instances are exactly the VMs' home instances.
/// </summary>
internal sealed class VmTestSilo : InMemoryTestSilo
{
    public static readonly RegionId West = new("westus");

    // Field initialisers run before the base constructor calls Configure.
    private readonly CountingObserver _observer = new();
    private readonly TrackingWorkerFactory _workers = new();

    public CountingObserver Observer => _observer;

    public TrackingWorkerFactory Workers => _workers;

    public static FleetTopology Topology { get; } = new(
    [
        new Deployment(West, new ModelId("A"), new SkuId("a100"), 2),
        new Deployment(West, new ModelId("B"), new SkuId("a100"), 1),
        new Deployment(new RegionId("eastus"), new ModelId("C"), new SkuId("a100"), 1),
    ]);

    public IVmGrain Vm(string key) => GrainFactory.GetGrain<IVmGrain>(key);

    public VmCommandResult Load(string vm, string model, string operationId) =>
        Run(async _ => await Vm(vm).LoadModelAsync(new VmLoadCommand(operationId, new ModelId(model))));

    public VmCommandResult Unload(string vm, string operationId, VmUnloadMode mode = VmUnloadMode.Drain, TimeSpan? drainTimeout = null) =>
        Run(async _ => await Vm(vm).UnloadModelAsync(new VmUnloadCommand(operationId, mode, drainTimeout)));

    public VmStatus Status(string vm) => Run(async _ => await Vm(vm).GetStatusAsync(0));

    public RegionSnapshot Snapshot(string region = "westus") => Run(async f => await f.GetGrain<IRegionGrain>(region).GetSnapshotAsync(0));

    /// <summary>Every VM loads its home model.</summary>
    public void Boot()
    {
        foreach (var vm in new[] { "westus/vm-0", "westus/vm-1", "westus/vm-2" })
        {
            var home = VmLayout.FromTopology(Topology).Find(vm)!.HomeModel;
            Assert.Equal(VmCommandOutcome.Applied, Load(vm, home.Name, $"boot:{vm}").Outcome);
        }
    }

    /// <summary>Routes <paramref name="request"/> at westus and submits it where routed; returns the decision.</summary>
    public RouteDecision Route(InferenceRequest request) => Run(async f =>
    {
        var decision = await f.GetGrain<IRegionGrain>(request.HomeRegion.Name).RouteAsync(request);
        if (decision.Outcome == RouteOutcome.Routed)
        {
            await f.GetGrain<IModelInstanceGrain>(decision.InstanceKey!).SubmitAsync(request);
        }

        return decision;
    });

    public static InferenceRequest Request(long id, string model = "A", int outputTokens = 10) =>
        new(id, TimeSpan.Zero, new ModelId(model), Tier.Interactive, [West], 100, outputTokens);

    protected override void Configure(SiloBuilder builder)
    {
        var services = new ControlPlaneServices(Topology, _workers, _observer)
        {
            Capacity = (_, _) => new InstanceCapacity(KvTokens: 100_000, TokensPerSecond: 5_000, Gpus: 8, UsdPerHour: 32),
            Scaling = new ScalingOptions { Floor = 0, ScaleInBelow = 0 },
            Vms = VmLayout.FromTopology(Topology),
        };
        builder.AddControlPlaneGrains(services);
    }
}

/// <summary>Fixed-latency workers that count how many were created and how many are alive (not disposed).</summary>
internal sealed class TrackingWorkerFactory : IWorkerDriverFactory
{
    private readonly FixedLatencyWorkerFactory _inner = new(slots: 4);

    public int Created { get; private set; }

    public int Live { get; private set; }

    public IWorkerDriver Create(RegionId region, ModelId model, SkuId sku, string instanceKey)
    {
        Created++;
        Live++;
        return new Tracked(_inner.Create(region, model, sku, instanceKey), this);
    }

    private sealed class Tracked(IWorkerDriver inner, TrackingWorkerFactory owner) : IWorkerDriver, IDisposable
    {
        private bool _disposed;

        public DateTimeOffset? NextEventAt => inner.NextEventAt;

        public InstanceLoad Load => inner.Load;

        public bool TrySubmit(InferenceRequest request, DateTimeOffset now, out string? reason)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return inner.TrySubmit(request, now, out reason);
        }

        public void AdvanceTo(DateTimeOffset now, ICollection<WorkerCompletion> completed) => inner.AdvanceTo(now, completed);

        public IReadOnlyList<InferenceRequest> Abort() => inner.Abort();

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                owner.Live--;
            }
        }
    }
}
