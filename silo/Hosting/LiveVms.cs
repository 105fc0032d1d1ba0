using SageServe.Grains.Vms;
using SageServe.Runtime;

namespace SageServe.Silo.Hosting;

/// <summary>
/// The live silo's VMs (<see cref="VmLayout"/>: one per initial instance, keyed <c>region/vm-n</c>): loads each VM's
/// home model at start, and gives the API the VM grains and the count of native engines alive.
/// </summary>
public sealed class LiveVms(VmLayout layout, IGrainFactory grains, Func<int?> nativeEngines)
{
    /// <summary>Which VM hosts which instance.</summary>
    public VmLayout Layout { get; } = layout;

    /// <summary>Native engines alive now (models in memory), or null with simulated workers.</summary>
    public int? NativeEngines => nativeEngines();

    /// <summary>Whether <paramref name="vmKey"/> is a VM of this silo.</summary>
    public bool Exists(string vmKey) => Layout.Find(vmKey) is not null;

    /// <summary>The VM grain <paramref name="vmKey"/>.</summary>
    public IVmGrain Vm(string vmKey) => grains.GetGrain<IVmGrain>(vmKey);

    /// <summary>Every VM loads its home model (before the API opens); throws naming the first VM that could not.</summary>
    /// <exception cref="InvalidOperationException">A VM refused or failed to load.</exception>
    public async Task BootAsync()
    {
        var results = await Task.WhenAll(Layout.Vms.Select(async vm =>
            (vm, await Vm(vm.VmKey).LoadModelAsync(new VmLoadCommand($"boot:{vm.VmKey}", vm.HomeModel)).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (vm, result) in results)
        {
            if (result.Outcome is not (VmCommandOutcome.Applied or VmCommandOutcome.NoChange))
            {
                throw new InvalidOperationException($"VM {vm.VmKey} could not load model {vm.HomeModel}: {result.Outcome}: {result.Problem}");
            }
        }
    }

    /// <summary>Every VM's status, in layout order.</summary>
    public async Task<IReadOnlyList<(VmPlacement Placement, VmStatus Status)>> StatusesAsync()
    {
        var statuses = await Task.WhenAll(Layout.Vms.Select(vm => Vm(vm.VmKey).GetStatusAsync(0).AsTask())).ConfigureAwait(false);
        return [.. Layout.Vms.Zip(statuses)];
    }
}
