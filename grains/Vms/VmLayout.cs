using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using SageServe.Grains.Domain;

namespace SageServe.Grains.Vms;

/// <summary>
/// Which VM hosts which model instance, fixed at start from the topology (pure, immutable). Each region's VMs are
/// keyed <c>region/vm-n</c>, n counting from 0 over the region's deployments in topology order, one VM per initial
/// instance: its <em>home</em> instance (<c>region/model/i</c>, the key the region grain gave it). A VM that loads its
/// home model hosts its home instance again; a VM that loads another model of its region hosts
/// <c>region/model/(<see cref="ForeignIndexBase"/> + n)</c>, a key the region's own scale-outs (numbered upward from the
/// deployment's instance count) never reach. Instances no VM hosts (the region's scale-outs) keep their own worker.
/// </summary>
public sealed class VmLayout
{
    /// <summary>Instance index of a VM's non-home model: this plus the VM's number.</summary>
    public const int ForeignIndexBase = 1_000_000;

    private readonly FrozenDictionary<string, VmPlacement> _byVm;
    private readonly FrozenDictionary<string, string> _vmOfHome;

    private VmLayout(FleetTopology topology, ImmutableArray<VmPlacement> vms)
    {
        Topology = topology;
        Vms = vms;
        _byVm = vms.ToFrozenDictionary(v => v.VmKey, StringComparer.Ordinal);
        _vmOfHome = vms.ToFrozenDictionary(v => v.HomeInstanceKey, v => v.VmKey, StringComparer.Ordinal);
    }

    /// <summary>The topology it was laid out from.</summary>
    public FleetTopology Topology { get; }

    /// <summary>Every VM, by region then number.</summary>
    public ImmutableArray<VmPlacement> Vms { get; }

    /// <summary>One VM per initial instance of <paramref name="topology"/>.</summary>
    public static VmLayout FromTopology(FleetTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var vms = ImmutableArray.CreateBuilder<VmPlacement>();
        foreach (var region in topology.Regions)
        {
            var n = 0;
            foreach (var deployment in topology.In(region))
            {
                for (var i = 0; i < deployment.Instances; i++)
                {
                    vms.Add(new VmPlacement(VmKey(region, n), region, n, deployment.Model, FleetTopology.InstanceKey(region, deployment.Model, i)));
                    n++;
                }
            }
        }

        return new VmLayout(topology, vms.ToImmutable());
    }

    /// <summary>The key of VM <paramref name="index"/> of <paramref name="region"/>.</summary>
    public static string VmKey(RegionId region, int index) => string.Create(CultureInfo.InvariantCulture, $"{region.Name}/vm-{index}");

    /// <summary>Parses a key made by <see cref="VmKey"/>.</summary>
    /// <exception cref="FormatException">Not of the form <c>region/vm-n</c>.</exception>
    public static (RegionId Region, int Index) ParseVmKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !key.AsSpan(slash + 1).StartsWith("vm-", StringComparison.Ordinal) ||
            !int.TryParse(key.AsSpan(slash + 4), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new FormatException($"VM key '{key}' is not of the form region/vm-n.");
        }

        return (new RegionId(key[..slash]), index);
    }

    /// <summary>The VM <paramref name="vmKey"/>, or null when there is none.</summary>
    public VmPlacement? Find(string vmKey) => _byVm.GetValueOrDefault(vmKey);

    /// <summary>The VM hosting <paramref name="instanceKey"/>, or null when the instance keeps its own worker.</summary>
    public string? HostOf(string instanceKey)
    {
        if (_vmOfHome.TryGetValue(instanceKey, out var home))
        {
            return home;
        }

        var (region, _, index) = FleetTopology.ParseInstanceKey(instanceKey);
        return index >= ForeignIndexBase && Find(VmKey(region, index - ForeignIndexBase)) is { } vm ? vm.VmKey : null;
    }

    /// <summary>The instance <paramref name="model"/> becomes when loaded on <paramref name="vm"/>.</summary>
    public static string InstanceKeyFor(VmPlacement vm, ModelId model)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return model == vm.HomeModel ? vm.HomeInstanceKey : FleetTopology.InstanceKey(vm.Region, model, ForeignIndexBase + vm.Index);
    }

    /// <summary>The deployment of <paramref name="model"/> in <paramref name="region"/>, or null when it is not deployed there.</summary>
    public Deployment? Deployment(RegionId region, ModelId model) =>
        Topology.Deployments.FirstOrDefault(d => d.Region == region && d.Model == model);
}

/// <summary>One VM of a <see cref="VmLayout"/>.</summary>
/// <param name="VmKey">Its grain key, <c>region/vm-n</c>.</param>
/// <param name="Region">Its region.</param>
/// <param name="Index">Its number n in the region.</param>
/// <param name="HomeModel">The model it serves at start.</param>
/// <param name="HomeInstanceKey">The instance it hosts at start (and whenever it loads its home model).</param>
public sealed record VmPlacement(string VmKey, RegionId Region, int Index, ModelId HomeModel, string HomeInstanceKey);
