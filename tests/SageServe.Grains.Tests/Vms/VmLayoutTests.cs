using SageServe.Grains.Domain;
using SageServe.Grains.Vms;

namespace SageServe.Grains.Tests.Vms;

public sealed class VmLayoutTests
{
    private static readonly VmLayout s_layout = VmLayout.FromTopology(VmTestSilo.Topology);

    [Fact]
    public void FromTopology_OneVmPerInitialInstance_NumberedPerRegionInTopologyOrder()
    {
        Assert.Equal(
            ["westus/vm-0 westus/A/0", "westus/vm-1 westus/A/1", "westus/vm-2 westus/B/0", "eastus/vm-0 eastus/C/0"],
            s_layout.Vms.Select(v => $"{v.VmKey} {v.HomeInstanceKey}"));
    }

    [Theory]
    [InlineData("westus/A/1", "westus/vm-1")]
    [InlineData("westus/B/1000001", "westus/vm-1")]
    [InlineData("westus/A/2", null)] // a region scale-out keeps its own worker
    [InlineData("westus/A/1000007", null)] // no VM 7
    public void HostOf_InstanceKey_ItsVmOrNull(string instance, string? vm) => Assert.Equal(vm, s_layout.HostOf(instance));

    [Fact]
    public void InstanceKeyFor_HomeModelIsTheHomeInstance_AnotherModelGetsTheForeignIndex()
    {
        var vm = s_layout.Find("westus/vm-2")!;

        Assert.Equal("westus/B/0", VmLayout.InstanceKeyFor(vm, new ModelId("B")));
        Assert.Equal("westus/A/1000002", VmLayout.InstanceKeyFor(vm, new ModelId("A")));
        Assert.Equal("westus/vm-2", s_layout.HostOf(VmLayout.InstanceKeyFor(vm, new ModelId("A"))));
    }

    [Theory]
    [InlineData("westus")]
    [InlineData("westus/vm-")]
    [InlineData("westus/vm-x")]
    [InlineData("/vm-1")]
    [InlineData("westus/node-1")]
    public void ParseVmKey_Malformed_FormatExceptionNamingTheKey(string key)
    {
        var e = Assert.Throws<FormatException>(() => VmLayout.ParseVmKey(key));
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseVmKey_WellFormed_RegionAndIndex() => Assert.Equal((new RegionId("eastus"), 12), VmLayout.ParseVmKey("eastus/vm-12"));
}
