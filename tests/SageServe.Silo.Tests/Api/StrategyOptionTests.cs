using System.Net;
using System.Text.Json;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Tests.Api;

/// <summary><c>--strategy</c>: the regions of a live silo run the named serving strategy, as under <c>simulate</c>.</summary>
public sealed class StrategyOptionTests
{
    [Theory]
    [InlineData("sageserve+", "SageServe+")]
    [InlineData("LT-UA", "LT-UA")]
    public async Task Silo_Strategy_RegionsRunItAndTheClusterViewNamesIt(string given, string canonical)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sageserve-strategy-" + Guid.NewGuid().ToString("N"));
        await using var host = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = dataDir, Strategy = given, PlannerAtStart = false });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var routed = await http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(tier: "interactive", homeRegion: "eastus", model: "B", promptTokens: 50, outputTokens: 5, requestId: "s-1")));
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        Assert.Equal("routed", (await LiveSilo.ReadJsonAsync(routed)).GetProperty("outcome").GetString());

        using var cluster = JsonDocument.Parse(await http.GetStringAsync("/v1/cluster"));
        Assert.Equal(canonical, cluster.RootElement.GetProperty("strategy").GetString());
    }
}
