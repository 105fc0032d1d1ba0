using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Regions;

/// <summary>Instances hosted by VM grains (live silo): they enter and leave service when their VM loads or unloads.</summary>
public sealed partial class RegionGrain
{
    /// <inheritdoc />
    public ValueTask<bool> SetInstanceServingAsync(InstanceAvailability availability)
    {
        RegionId region;
        ModelId modelId;
        try
        {
            (region, modelId, _) = FleetTopology.ParseInstanceKey(availability.InstanceKey);
        }
        catch (FormatException)
        {
            return ValueTask.FromResult(false);
        }

        if (region != _region || !_models.TryGetValue(modelId, out var model) || model.Pools.Pools.Count == 0)
        {
            return ValueTask.FromResult(false);
        }

        var now = Time.GetUtcNow();
        if (_byInstance.TryGetValue(availability.InstanceKey, out var entry))
        {
            // An operator's unload is a command: the slot stays (Offline counts as held capacity) so the floor rule
            // does not start a replacement behind the operator's back; a load puts the same slot back in service.
            entry.Slot.State = availability.Serving ? SlotState.Serving : SlotState.Offline;
            return ValueTask.FromResult(true);
        }

        if (availability.Serving)
        {
            // A VM loaded a model that is not its home model: the new instance joins the model's first pool. Its VM
            // is outside this region's simulated VM books (_vms): the VM grain, not the region, holds it.
            var pool = model.Pools.Pools[0];
            var slot = new InstanceSlot(availability.InstanceKey, pool.Model, pool.Sku, model.Capacity.Gpus, model.Capacity.KvTokens, now, SlotState.Serving);
            pool.Slots.Add(slot);
            _byInstance.Add(availability.InstanceKey, (pool, slot));
        }

        return ValueTask.FromResult(true);
    }
}
