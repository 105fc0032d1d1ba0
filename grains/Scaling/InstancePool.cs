using SageServe.Grains.Domain;

namespace SageServe.Grains.Scaling;

/// <summary>What a pool serves. Persisted: explicit, append-only.</summary>
public enum PoolRole
{
    /// <summary>Interactive and non-interactive together (SageServe's unified pool).</summary>
    Unified = 0,

    /// <summary>Interactive only.</summary>
    Interactive = 1,

    /// <summary>Non-interactive only.</summary>
    Batch = 2,

    /// <summary>Interactive overflow plus non-interactive (Chiron's mixed pool).</summary>
    Mixed = 3,
}

/// <summary>A pool of instances of one model in one region, scaled as a unit.</summary>
public sealed class InstancePool(ModelId model, SkuId sku, PoolRole role, int floor)
{
    /// <summary>The model.</summary>
    public ModelId Model { get; } = model;

    /// <summary>The VM type new instances use.</summary>
    public SkuId Sku { get; } = sku;

    /// <summary>What it serves.</summary>
    public PoolRole Role { get; } = role;

    /// <summary>Fewest instances it keeps (serving or starting).</summary>
    public int Floor { get; } = floor;

    /// <summary>Its instances, in creation order.</summary>
    public List<InstanceSlot> Slots { get; } = [];

    /// <summary>Last scale-out.</summary>
    public DateTimeOffset LastScaleOut { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Last scale-in.</summary>
    public DateTimeOffset LastScaleIn { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Instances serving or starting (the capacity scaling reasons about).</summary>
    public int ActiveCount => Slots.Count(s => s.State != SlotState.Draining);

    /// <summary>Instances serving now.</summary>
    public int ServingCount(DateTimeOffset now) => Slots.Count(s => s.IsRoutable(now));

    /// <summary>Pending tokens over the KV capacity of the instances serving or starting (0 when none).</summary>
    public double Utilisation()
    {
        long pending = 0;
        long capacity = 0;
        foreach (var s in Slots)
        {
            pending += s.PendingTokens;
            if (s.State != SlotState.Draining)
            {
                capacity += s.CapacityTokens;
            }
        }

        return capacity == 0 ? (pending > 0 ? double.PositiveInfinity : 0) : (double)pending / capacity;
    }

    /// <summary>Pending tokens over the capacity of the instances serving now.</summary>
    public double ServingUtilisation(DateTimeOffset now)
    {
        long pending = 0;
        long capacity = 0;
        foreach (var s in Slots)
        {
            if (s.IsRoutable(now))
            {
                pending += s.PendingTokens;
                capacity += s.CapacityTokens;
            }
        }

        return capacity == 0 ? double.PositiveInfinity : (double)pending / capacity;
    }

    /// <summary>The routable instance with the fewest pending tokens, or null.</summary>
    public InstanceSlot? LeastLoaded(DateTimeOffset now)
    {
        InstanceSlot? best = null;
        foreach (var s in Slots)
        {
            if (s.IsRoutable(now) && (best is null || s.PendingTokens < best.PendingTokens))
            {
                best = s;
            }
        }

        return best;
    }

    /// <summary>Share of active instances holding interactive work.</summary>
    public double ShareHoldingInteractive()
    {
        var active = 0;
        var holding = 0;
        foreach (var s in Slots)
        {
            if (s.State != SlotState.Draining)
            {
                active++;
                if (s.InteractivePendingTokens > 0)
                {
                    holding++;
                }
            }
        }

        return active == 0 ? 0 : (double)holding / active;
    }
}
