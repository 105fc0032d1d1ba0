using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Instances;
using SageServe.Grains.Observability;
using SageServe.Grains.Scaling;
using SageServe.Runtime;

namespace SageServe.Grains.Regions;

/// <summary>
/// One region's control point (key: the region name). Per request it picks a pool and an instance (the strategy
/// decides the pool, least pending tokens the instance) or queues NIW work; every control tick it releases queued NIW
/// work into valleys, scales pools through the region's VM pool, retires drained instances and samples the fleet.
/// Its books always balance: arrived = routed + queued + rejected, and routed work stays pending on its instance
/// until reported complete.
/// </summary>
public sealed partial class RegionGrain : Grain, IRegionGrain
{
    private readonly ControlPlaneServices _services;
    private readonly RegionId _region;
    private readonly Dictionary<ModelId, RegionModelState> _models = [];
    private readonly Dictionary<string, (InstancePool Pool, InstanceSlot Slot)> _byInstance = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly RegionVmPool _vms;
    private readonly IGrainTimer _tick;
    private DateTimeOffset? _epoch;
    private long _arrived;
    private long _routed;
    private long _completed;

    /// <summary>Creates the grain (by the runtime).</summary>
    public RegionGrain(ControlPlaneServices services)
    {
        _services = services;
        _region = new RegionId(Key);
        _vms = new RegionVmPool(services.Scaling);
        var now = Time.GetUtcNow();
        foreach (var deployment in services.Topology.In(_region))
        {
            var capacity = services.Capacity(deployment.Model, deployment.Sku);
            var pools = new List<InstancePool>();
            var state = new RegionModelState(deployment, capacity, pools);
            foreach (var layout in services.Strategy.InitialPools(deployment, services.Scaling))
            {
                var pool = new InstancePool(deployment.Model, deployment.Sku, layout.Role, layout.Floor);
                pools.Add(pool);
                for (var i = 0; i < layout.Instances; i++)
                {
                    AddSlot(state, pool, now, SlotState.Serving);
                }

                _vms.AddInitial(deployment.Sku, layout.Instances);
            }

            _vms.AddDonated(deployment.Sku, deployment.Model, deployment.SpotVms);
            _models.Add(deployment.Model, state);
        }

        _tick = RegisterTimer(_ => TickAsync(), services.Scaling.Interval, services.Scaling.Interval, $"{Key}.control");
    }

    /// <inheritdoc />
    public ValueTask<RouteDecision> RouteAsync(InferenceRequest request)
    {
        var now = Time.GetUtcNow();
        _epoch ??= now - request.Arrival;
        _arrived++;
        _services.Observer.OnArrived(request, now);
        if (!_models.TryGetValue(request.Model, out var model))
        {
            return ValueTask.FromResult(Reject(request, $"model {request.Model} is not deployed in {_region}", now));
        }

        if (request.Tier == Tier.Interactive)
        {
            model.Traffic.Record(_epoch.Value, now, request.PromptTokens);
        }

        if (request.Tier == Tier.Interactive && model.Spill.Count > 0 && model.TakeSpill() is { } away)
        {
            var forward = new RouteDecision(request.Id, RouteOutcome.Forward, away, null, "the plan serves part of this load there");
            _services.Observer.OnRouted(request, forward, now);
            return ValueTask.FromResult(forward);
        }

        return ValueTask.FromResult(RouteLocally(request, model, now));
    }

    /// <inheritdoc />
    public ValueTask<RouteDecision> RouteForwardedAsync(InferenceRequest request)
    {
        var now = Time.GetUtcNow();
        if (!_models.TryGetValue(request.Model, out var model))
        {
            return ValueTask.FromResult(Reject(request, $"model {request.Model} is not deployed in {_region} (forwarded)", now));
        }

        return ValueTask.FromResult(RouteLocally(request, model, now));
    }

    private RouteDecision RouteLocally(InferenceRequest request, RegionModelState model, DateTimeOffset now)
    {
        var target = _services.Strategy.Route(request, model.Pools, now);
        if (target.Pool is null)
        {
            model.Queue.Enqueue(request, Due(request, now));
            _tick.KeepsSimulationAlive = true;
            var queued = new RouteDecision(request.Id, RouteOutcome.Queued, _region, null, null);
            _services.Observer.OnRouted(request, queued, now);
            return queued;
        }

        var slot = _services.Strategy.Place(request, target.Pool, now);
        if (slot is null)
        {
            return Reject(request, $"no {target.Pool.Role} instance of {request.Model} is serving in {_region}", now);
        }

        Book(slot, request);
        _routed++;
        var decision = RouteDecision.To(request.Id, _region, slot.Key);
        _services.Observer.OnRouted(request, decision, now);
        return decision;
    }

    /// <inheritdoc />
    public ValueTask ReportCompletionsAsync(CompletionReport report)
    {
        // An instance retired after a crash may still finish a request submitted in the same instant: count it,
        // there is no slot left to free tokens on.
        if (_byInstance.TryGetValue(report.InstanceKey, out var entry))
        {
            entry.Slot.PendingTokens -= report.TokensFreed;
            entry.Slot.InteractivePendingTokens -= report.InteractiveTokensFreed;
        }

        _completed += report.Completed;
        if (report.Rejected > 0)
        {
            _routed -= report.Rejected;
            CountRejection(report.RejectionReason ?? "refused by the instance", report.Rejected);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DrainInstanceAsync(string instanceKey)
    {
        var now = Time.GetUtcNow();
        if (!_byInstance.TryGetValue(instanceKey, out var entry) || !entry.Slot.IsRoutable(now))
        {
            return ValueTask.FromResult(false);
        }

        entry.Slot.State = SlotState.Draining;
        entry.Pool.LastScaleIn = now;
        _services.Fleet.OnScaled(_region, entry.Pool.Model, entry.Pool.Role, ScalingAction.Release, now);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Planner.ModelTraffic>> DrainTrafficAsync(int unused)
    {
        var now = Time.GetUtcNow();
        var epoch = _epoch ?? now;
        IReadOnlyList<Planner.ModelTraffic> traffic = _models.Values
            .Select(m => new Planner.ModelTraffic(m.Deployment.Model, m.Traffic.Drain(epoch, now), m.Pools.Pools.Sum(p => p.ActiveCount)))
            .ToList();
        return ValueTask.FromResult(traffic);
    }

    /// <inheritdoc />
    public ValueTask ApplyPlanAsync(Planner.RegionPlan plan)
    {
        foreach (var target in plan.Models)
        {
            if (_models.TryGetValue(target.Model, out var model))
            {
                model.Pools.Plan.TargetInstances = target.Instances;
                model.Pools.Plan.ForecastPromptTokensPerMinute = target.ForecastPromptTokensPerMinute;
                model.SetSpill(target.Spill.Where(s => s.To != _region).ToList());
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<RegionSnapshot> GetSnapshotAsync(int unused)
    {
        var now = Time.GetUtcNow();
        var pending = _byInstance.ToDictionary(p => p.Key, p => p.Value.Slot.PendingTokens, StringComparer.Ordinal);
        return ValueTask.FromResult(new RegionSnapshot(
            _region, _arrived, _routed, new Dictionary<string, long>(_rejected, StringComparer.Ordinal), _completed, pending,
            _models.Values.Sum(m => m.Queue.Count), _models.Values.Sum(m => m.Queue.CountOverdue(now))));
    }

    /// <summary>When a NIW request is due: its arrival plus its deadline (12 h when it has none).</summary>
    private DateTimeOffset Due(InferenceRequest request, DateTimeOffset now) =>
        (_epoch ?? now) + request.Arrival + (request.Deadline ?? TimeSpan.FromHours(12));

    private RouteDecision Reject(InferenceRequest request, string reason, DateTimeOffset now)
    {
        CountRejection(reason);
        _services.Observer.OnRejected(request, reason, now);
        return RouteDecision.Reject(request.Id, _region, reason);
    }

    private void CountRejection(string reason, int count = 1) => _rejected[reason] = _rejected.GetValueOrDefault(reason) + count;

    private static void Book(InstanceSlot slot, InferenceRequest request)
    {
        long tokens = (long)request.PromptTokens + request.OutputTokens;
        slot.PendingTokens += tokens;
        if (request.Tier == Tier.Interactive)
        {
            slot.InteractivePendingTokens += tokens;
        }
    }

    private static void Unbook(InstanceSlot slot, InferenceRequest request)
    {
        long tokens = (long)request.PromptTokens + request.OutputTokens;
        slot.PendingTokens -= tokens;
        if (request.Tier == Tier.Interactive)
        {
            slot.InteractivePendingTokens -= tokens;
        }
    }

    private async Task TickAsync()
    {
        var now = Time.GetUtcNow();
        if (_services.Faults.Any)
        {
            await InjectFaultsAsync(now);
        }

        foreach (var model in _models.Values)
        {
            model.Pools.Plan.LivePromptTokensLastMinute = model.Traffic.LastMinute(_epoch ?? now, now);
        }

        foreach (var model in _models.Values)
        {
            await ReleaseQueuedAsync(model, now);
            Scale(model, now);
        }

        RetireDrained();
        var busy = false;
        var sample = new List<ModelFleet>(_models.Count);
        foreach (var model in _models.Values)
        {
            int serving = 0, starting = 0, draining = 0;
            foreach (var pool in model.Pools.Pools)
            {
                foreach (var slot in pool.Slots)
                {
                    _ = slot.IsRoutable(now);
                    switch (slot.State)
                    {
                        case SlotState.Serving: serving++; break;
                        case SlotState.Starting: starting++; break;
                        case SlotState.Offline: break; // unloaded by its VM on command: not work in progress
                        default: draining++; break;
                    }
                }
            }

            busy |= model.Queue.Count > 0 || starting > 0 || draining > 0;
            sample.Add(new ModelFleet(model.Deployment.Model, serving, starting, draining, model.Capacity.Gpus, model.Capacity.UsdPerHour));
        }

        _services.Fleet.OnSample(_region, new FleetSample(sample, _models.Values.Sum(m => m.Queue.Count)), now);
        _tick.KeepsSimulationAlive = busy;
    }

    /// <summary>Valley filling: queued NIW work goes to pools with room, earliest deadline first; urgent work always goes.</summary>
    private async ValueTask ReleaseQueuedAsync(RegionModelState model, DateTimeOffset now)
    {
        var options = _services.Scaling;
        foreach (var (pool, bands) in _services.Strategy.NiwReleaseTargets(model.Pools))
        {
            var startedBelowBand = !bands || pool.ServingUtilisation(now) <= options.NiwReleaseBelow;
            var ceiling = bands ? options.NiwReleaseUpTo : 1.0;
            while (model.Queue.TryPeek(out var request, out var due))
            {
                var urgent = due - now <= options.NiwUrgentSlack;
                var slot = _services.Strategy.Place(request, pool, now);
                if (slot is null || (!urgent && (!startedBelowBand || pool.ServingUtilisation(now) >= ceiling)))
                {
                    break;
                }

                model.Queue.Dequeue();
                Book(slot, request);
                _routed++;
                bool accepted;
                try
                {
                    accepted = await Instance(slot.Key).SubmitAsync(request);
                }
                catch (Exception e) when (e is SiloUnavailableException or GrainCallTimeoutException)
                {
                    // Live cluster only (in simulation a call never fails): the instance could not be reached. Keep the
                    // job rather than lose it — it goes back to the queue (a timed-out submit may run twice; NIW work
                    // is at-least-once) and the next tick tries again.
                    Unbook(slot, request);
                    _routed--;
                    model.Queue.Enqueue(request, due);
                    break;
                }

                if (!accepted)
                {
                    continue; // refused by its worker: the instance reported the rejection and freed the tokens
                }
            }
        }
    }

    private void Scale(RegionModelState model, DateTimeOffset now)
    {
        foreach (var pool in model.Pools.Pools)
        {
            // Whatever the strategy says, a pool that lost instances (crashes, failed VMs) is refilled to its floor.
            var delta = Math.Max(_services.Strategy.ScaleDelta(pool, model.Pools, model.Queue, now, _services.Scaling), pool.Floor - pool.ActiveCount);
            for (var i = 0; i < delta; i++)
            {
                if (!_vms.TryAcquire(model.Deployment.Model, pool.Sku, out var source, out var readyAfter))
                {
                    _services.Fleet.OnScaled(_region, pool.Model, pool.Role, ScalingAction.Denied, now);
                    break;
                }

                var fails = source == VmSource.NewVm && _services.Faults.ProvisioningFailureRate > 0 && Random.NextDouble() < _services.Faults.ProvisioningFailureRate;
                AddSlot(model, pool, now + readyAfter, SlotState.Starting, fails);
                pool.LastScaleOut = now;
                var action = source switch
                {
                    VmSource.Reclaim => ScalingAction.Reclaim,
                    VmSource.Swap => ScalingAction.Swap,
                    _ => ScalingAction.NewVm,
                };
                _services.Fleet.OnScaled(_region, pool.Model, pool.Role, action, now);
            }

            for (var i = 0; i > delta; i--)
            {
                // Scale in the serving instance with the least pending work; it drains, then its VM is donated.
                // Never below the floor of instances actually serving: starting ones do not serve yet.
                var victim = pool.Slots.Where(s => s.IsRoutable(now)).MinBy(s => s.PendingTokens);
                if (victim is null || pool.ActiveCount <= pool.Floor || pool.ServingCount(now) <= pool.Floor)
                {
                    break;
                }

                victim.State = SlotState.Draining;
                pool.LastScaleIn = now;
                _services.Fleet.OnScaled(_region, pool.Model, pool.Role, ScalingAction.Release, now);
            }
        }
    }

    private void RetireDrained()
    {
        foreach (var model in _models.Values)
        {
            foreach (var pool in model.Pools.Pools)
            {
                for (var i = pool.Slots.Count - 1; i >= 0; i--)
                {
                    var slot = pool.Slots[i];
                    if (slot.State == SlotState.Draining && slot.PendingTokens == 0)
                    {
                        pool.Slots.RemoveAt(i);
                        _byInstance.Remove(slot.Key);
                        _vms.Donate(slot.Model, slot.Sku);
                    }
                }
            }
        }
    }

    private InstanceSlot AddSlot(RegionModelState model, InstancePool pool, DateTimeOffset readyAt, SlotState state, bool failsToProvision = false)
    {
        var key = FleetTopology.InstanceKey(_region, model.Deployment.Model, model.NextIndex++);
        var slot = new InstanceSlot(key, pool.Model, pool.Sku, model.Capacity.Gpus, model.Capacity.KvTokens, readyAt, state)
        {
            FailsToProvision = failsToProvision,
        };
        pool.Slots.Add(slot);
        _byInstance.Add(key, (pool, slot));
        return slot;
    }

    private IModelInstanceGrain Instance(string key) => GrainFactory.GetGrain<IModelInstanceGrain>(key);
}
