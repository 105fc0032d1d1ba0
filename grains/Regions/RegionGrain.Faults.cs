using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Regions;

/// <summary>Fault injection of the simulated cloud (seeded, so a seed replays the same faults).</summary>
public sealed partial class RegionGrain
{
    /// <summary>Faults drawn from this grain's seeded randomness: failed provisioning, spot preemption, worker crashes.</summary>
    private async Task InjectFaultsAsync(DateTimeOffset now)
    {
        var faults = _services.Faults;
        var hours = _services.Scaling.Interval.TotalHours;
        foreach (var model in _vms.PreemptDonated(Random, 1 - Math.Exp(-faults.SpotPreemptionsPerVmHour * hours)))
        {
            _services.Fleet.OnScaled(_region, model, PoolRole.Unified, ScalingAction.SpotPreempted, now);
        }

        var crashProbability = 1 - Math.Exp(-faults.WorkerCrashesPerInstanceHour * hours);
        foreach (var state in _models.Values)
        {
            foreach (var pool in state.Pools.Pools)
            {
                foreach (var slot in pool.Slots.ToArray())
                {
                    if (slot.State == SlotState.Starting && slot.FailsToProvision && slot.ReadyAt <= now)
                    {
                        Retire(pool, slot);
                        _services.Fleet.OnScaled(_region, pool.Model, pool.Role, ScalingAction.ProvisioningFailed, now);
                    }
                    else if (crashProbability > 0 && slot.IsRoutable(now) && Random.NextDouble() < crashProbability)
                    {
                        await CrashAsync(state, pool, slot, now);
                    }
                }
            }
        }
    }

    private async Task CrashAsync(RegionModelState model, InstancePool pool, InstanceSlot slot, DateTimeOffset now)
    {
        var lost = await Instance(slot.Key).CrashAsync(0);
        Retire(pool, slot);
        _services.Fleet.OnScaled(_region, pool.Model, pool.Role, ScalingAction.WorkerCrashed, now);
        foreach (var request in lost)
        {
            // Nothing accepted is lost: NIW work goes back to the queue, interactive work to another instance.
            if (request.Tier == Tier.NonInteractive)
            {
                _routed--;
                model.Queue.Enqueue(request, Due(request, now));
                continue;
            }

            var target = _services.Strategy.Route(request, model.Pools, now).Pool?.LeastLoaded(now)
                ?? model.Pools.Pools.Select(p => p.LeastLoaded(now)).FirstOrDefault(s => s is not null);
            if (target is null)
            {
                _routed--;
                var reason = $"worker crashed and no other instance of {request.Model} serves in {_region}";
                CountRejection(reason);
                _services.Observer.OnRejected(request, reason, now);
                continue;
            }

            Book(target, request);
            await Instance(target.Key).SubmitAsync(request);
        }
    }

    /// <summary>Drops a broken instance: its VM leaves the region's books (it is not donated).</summary>
    private void Retire(InstancePool pool, InstanceSlot slot)
    {
        pool.Slots.Remove(slot);
        _byInstance.Remove(slot.Key);
        _vms.Lose(slot.Sku);
    }
}
