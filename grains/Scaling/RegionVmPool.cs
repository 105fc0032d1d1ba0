using SageServe.Grains.Domain;

namespace SageServe.Grains.Scaling;

/// <summary>
/// One region's VMs from the control plane's point of view: how many it holds per SKU (against the quota) and the
/// donated VMs in the spot pool, each still holding the model it served. Scale-outs take from here in SPEC order:
/// own donated VM (reclaim), another model's donated VM (swap), a new on-demand VM.
/// </summary>
public sealed class RegionVmPool(ScalingOptions options)
{
    private readonly Dictionary<SkuId, int> _held = [];
    private readonly List<(SkuId Sku, ModelId Model)> _donated = [];

    /// <summary>VMs held (provisioning, loading, serving or draining) on <paramref name="sku"/>.</summary>
    public int Held(SkuId sku) => _held.GetValueOrDefault(sku);

    /// <summary>VMs in the spot pool.</summary>
    public int Donated => _donated.Count;

    /// <summary>Counts VMs already serving at start (no delay).</summary>
    public void AddInitial(SkuId sku, int vms) => _held[sku] = Held(sku) + vms;

    /// <summary>Adds VMs that start in the spot pool holding <paramref name="model"/>.</summary>
    public void AddDonated(SkuId sku, ModelId model, int vms)
    {
        for (var i = 0; i < vms; i++)
        {
            _donated.Add((sku, model));
        }
    }

    /// <summary>
    /// Takes a VM for <paramref name="model"/> on <paramref name="sku"/>; false when the quota is exhausted and no
    /// donated VM is left. <paramref name="readyAfter"/> is how long until it serves.
    /// </summary>
    public bool TryAcquire(ModelId model, SkuId sku, out VmSource source, out TimeSpan readyAfter)
    {
        var own = _donated.FindIndex(d => d.Sku == sku && d.Model == model);
        if (own >= 0)
        {
            _donated.RemoveAt(own);
            source = VmSource.Reclaim;
            readyAfter = options.ReclaimDelay;
        }
        else if (_donated.FindIndex(d => d.Sku == sku) is var other and >= 0)
        {
            _donated.RemoveAt(other);
            source = VmSource.Swap;
            readyAfter = options.ReclaimDelay + options.ModelLoadDelay;
        }
        else if (Held(sku) + DonatedOn(sku) < options.QuotaVmsPerRegionSku)
        {
            source = VmSource.NewVm;
            readyAfter = options.ProvisioningDelay + options.ModelLoadDelay;
        }
        else
        {
            source = default;
            readyAfter = default;
            return false;
        }

        _held[sku] = Held(sku) + 1;
        return true;
    }

    /// <summary>A held VM is gone (failed to provision, or crashed): it leaves the region's books.</summary>
    public void Lose(SkuId sku) => _held[sku] = Held(sku) - 1;

    /// <summary>Fault injection: each donated VM is taken back by the spot market with <paramref name="probability"/>.</summary>
    /// <returns>The models the preempted VMs held.</returns>
    public IReadOnlyList<ModelId> PreemptDonated(Random random, double probability)
    {
        var lost = new List<ModelId>();
        for (var i = _donated.Count - 1; i >= 0; i--)
        {
            if (random.NextDouble() < probability)
            {
                lost.Add(_donated[i].Model);
                _donated.RemoveAt(i);
            }
        }

        return lost;
    }

    /// <summary>A drained instance's VM goes to the spot pool, model still loaded.</summary>
    public void Donate(ModelId model, SkuId sku)
    {
        _held[sku] = Held(sku) - 1;
        _donated.Add((sku, model));
    }

    private int DonatedOn(SkuId sku) => _donated.Count(d => d.Sku == sku);
}
