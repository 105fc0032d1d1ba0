using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using SageServe.Runtime.Tests.Azurite;
using SageServe.Silo.Hosting;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Dashboard;

/// <summary>The cluster panel of a real two-silo cluster (in this process, membership and state in Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class DashboardClusteredBrowserTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [GeneratedRegex(@"<span class=""badge status-Active"">Active</span>")]
    private static partial Regex ActiveBadge();

    [SkippableFact]
    public async Task Dashboard_TwoSiloCluster_ClusterPanelListsBothMembersAndThePlannerOwner()
    {
        Skip.IfNot(File.Exists(ChromiumFactAttribute.ChromiumPath) || Environment.GetEnvironmentVariable("CI") == "true", $"{ChromiumFactAttribute.ChromiumPath} is missing");
        azurite.RequireAvailable(output);
        var clusterId = "d" + Guid.NewGuid().ToString("N")[..12];
        var dataDir = Directory.CreateTempSubdirectory("sageserve-dash-cluster-");
        var silos = new List<SiloHost>();
        try
        {
            foreach (var region in (string[])["westus", "eastus"])
            {
                silos.Add(await SiloHost.StartAsync(new SiloHostOptions
                {
                    Port = 0, SiloPort = 0, DataDir = Path.Combine(dataDir.FullName, region), ClusterStorage = azurite.ConnectionString,
                    ClusterId = clusterId, Region = region, PlannerAtStart = false,
                }));
            }

            using var http = new HttpClient { BaseAddress = silos[0].BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            string self;
            while (true)
            {
                using var membership = JsonDocument.Parse(await http.GetStringAsync("/v1/cluster/membership"));
                var root = membership.RootElement;
                if (root.GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Active") == 2 && root.GetProperty("canAct").GetBoolean())
                {
                    self = root.GetProperty("self").GetString()!;
                    break;
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the silos never saw each other: {root}");
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }

            var dom = await HeadlessChromium.LoadAsync(silos[0].BaseAddress, "--dump-dom");

            Assert.Contains($"<b id=\"membership-self\">{self}</b>", dom, StringComparison.Ordinal);
            Assert.Equal(2, ActiveBadge().Matches(dom).Count);
            Assert.Contains("<td class=\"text\">this silo, planner</td>", dom, StringComparison.Ordinal); // the oldest silo owns the planner
            Assert.Contains("<td class=\"text\">eastus</td>", dom, StringComparison.Ordinal);
            Assert.DoesNotContain("membership-mode", dom.Split("<script>")[0], StringComparison.Ordinal);
            Assert.Contains(@"<div id=""membership-error"" class=""error"" hidden=""""></div>", dom, StringComparison.Ordinal);
        }
        finally
        {
            for (var i = silos.Count - 1; i >= 0; i--)
            {
                await silos[i].DisposeAsync();
            }

            dataDir.Delete(recursive: true);
        }
    }
}
