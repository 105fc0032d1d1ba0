using SageServe.Grains.Domain;

namespace SageServe.Grains.Scaling;

/// <summary>Where an instance is in its life, as its region sees it. Persisted: explicit, append-only.</summary>
public enum SlotState
{
    /// <summary>Its VM is being provisioned, reclaimed or loaded; not routable until <see cref="InstanceSlot.ReadyAt"/>.</summary>
    Starting = 0,

    /// <summary>Routable.</summary>
    Serving = 1,

    /// <summary>Scaled in: finishes what it has, takes nothing new, then its VM is donated.</summary>
    Draining = 2,

    /// <summary>
    /// Its VM unloaded the model on command (live VM grains): not routable, not retired, not replaced; a load of the
    /// model on that VM puts it back in service.
    /// </summary>
    Offline = 3,
}

/// <summary>One instance in a region's books.</summary>
public sealed class InstanceSlot(string key, ModelId model, SkuId sku, int gpus, long capacityTokens, DateTimeOffset readyAt, SlotState state)
{
    /// <summary>The instance grain key.</summary>
    public string Key { get; } = key;

    /// <summary>The model it serves.</summary>
    public ModelId Model { get; } = model;

    /// <summary>Its VM type.</summary>
    public SkuId Sku { get; } = sku;

    /// <summary>GPUs its VM holds.</summary>
    public int Gpus { get; } = gpus;

    /// <summary>KV-cache tokens it holds.</summary>
    public long CapacityTokens { get; } = capacityTokens;

    /// <summary>When it becomes routable.</summary>
    public DateTimeOffset ReadyAt { get; } = readyAt;

    /// <summary>Its state.</summary>
    public SlotState State { get; set; } = state;

    /// <summary>Prompt + output tokens routed to it and not yet finished.</summary>
    public long PendingTokens { get; set; }

    /// <summary>The interactive part of <see cref="PendingTokens"/>.</summary>
    public long InteractivePendingTokens { get; set; }

    /// <summary>Fault injection: its VM will fail to provision, so it never serves.</summary>
    public bool FailsToProvision { get; init; }

    /// <summary>Whether it can take requests at <paramref name="now"/> (promotes a started instance whose VM is ready).</summary>
    public bool IsRoutable(DateTimeOffset now)
    {
        if (State == SlotState.Starting && ReadyAt <= now && !FailsToProvision)
        {
            State = SlotState.Serving;
        }

        return State == SlotState.Serving;
    }
}
