using System.Net;
using System.Text.Json;

namespace SageServe.Silo.Tests.Api;

/// <summary>The VM API on a live silo with simulated workers (3 regions × 4 models × 2 instances = 24 VMs).</summary>
public sealed class VmApiTests(LiveSilo silo) : IClassFixture<LiveSilo>
{
    private static HttpRequestMessage Control(string path, string? json, string? key = LiveSilo.ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = json is null ? null : LiveSilo.Json(json) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    private async Task<JsonElement> VmAsync(string key) => await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync($"/v1/vms/{key}"));

    private async Task<string?> ClusterStateAsync(string instance)
    {
        var cluster = await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync("/v1/cluster"));
        return cluster.GetProperty("regions").EnumerateArray()
            .SelectMany(r => r.GetProperty("models").EnumerateArray()).SelectMany(m => m.GetProperty("instances").EnumerateArray())
            .Single(i => i.GetProperty("key").GetString() == instance).GetProperty("state").GetString();
    }

    [Fact]
    public async Task Vms_AfterStart_EveryVmReadyWithItsHomeModel()
    {
        var list = await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync("/v1/vms"));

        var vms = list.GetProperty("vms").EnumerateArray().ToList();
        Assert.Equal(24, vms.Count);
        Assert.False(list.TryGetProperty("nativeEngines", out _)); // simulated workers
        Assert.All(vms, v => Assert.Equal("ready", v.GetProperty("state").GetString()));
        Assert.All(vms, v => Assert.Equal(v.GetProperty("homeModel").GetString(), v.GetProperty("model").GetString()));
        var first = vms.Single(v => v.GetProperty("key").GetString() == "westus/vm-0");
        Assert.Equal("westus/A/0", first.GetProperty("instance").GetString());
        Assert.Equal("boot:westus/vm-0", first.GetProperty("lastOperationId").GetString());
        Assert.True(first.GetProperty("kvTokensCapacity").GetInt64() > 0);
    }

    [Fact]
    public async Task Load_MissingKey_Unauthorized()
    {
        using var response = await silo.Http.SendAsync(Control("/v1/control/vms/westus/vm-0/load", "{\"model\":\"A\"}", key: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/control/vms/westus/vm-99/load")]
    [InlineData("/v1/control/vms/moon/vm-0/unload")]
    [InlineData("/v1/control/vms/westus/node-1/load")]
    public async Task Command_UnknownVm_NotFoundNamingVm(string path)
    {
        using var response = await silo.Http.SendAsync(Control(path, "{\"model\":\"A\"}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("vm", (await LiveSilo.ReadJsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Load_UnknownModel_NotFoundNamingModel()
    {
        using var response = await silo.Http.SendAsync(Control("/v1/control/vms/westus/vm-0/load", "{\"model\":\"Z\"}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await LiveSilo.ReadJsonAsync(response);
        Assert.Equal("model", problem.GetProperty("field").GetString());
        Assert.Contains("unknown model 'Z'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_AnotherModelWhileReady_ConflictAndTheVmKeepsItsModel()
    {
        using var response = await silo.Http.SendAsync(Control("/v1/control/vms/centralus/vm-1/load", "{\"model\":\"B\"}"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("unload it", (await LiveSilo.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("A", (await VmAsync("centralus/vm-1")).GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("{\"mode\":\"later\"}", "mode")]
    [InlineData("{\"drainTimeoutSeconds\":-1}", "drainTimeoutSeconds")]
    [InlineData("{\"operationId\":\"has spaces\"}", "operationId")]
    public async Task Unload_BadBody_BadRequestNamingTheField(string body, string field)
    {
        using var response = await silo.Http.SendAsync(Control("/v1/control/vms/eastus/vm-0/unload", body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await LiveSilo.ReadJsonAsync(response)).GetProperty("field").GetString());
        Assert.Equal("ready", (await VmAsync("eastus/vm-0")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Unload_NoBody_IdleVmEmptyAtOnceWithAMadeUpOperationId()
    {
        using (var unload = await silo.Http.SendAsync(Control("/v1/control/vms/westus/vm-5/unload", null)))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
            var answer = await LiveSilo.ReadJsonAsync(unload);
            Assert.StartsWith("api-", answer.GetProperty("operationId").GetString(), StringComparison.Ordinal);
            Assert.Equal("empty", answer.GetProperty("vm").GetProperty("state").GetString());
        }

        using var load = await silo.Http.SendAsync(Control("/v1/control/vms/westus/vm-5/load", "{\"model\":\"C\"}"));
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.Equal("westus/C/1", (await VmAsync("westus/vm-5")).GetProperty("instance").GetString());
    }

    [Fact]
    public async Task UnloadThenLoad_SimulatedWorker_InstanceLeavesAndRejoinsRouting()
    {
        // eastus D: vm-6 hosts eastus/D/0, vm-7 eastus/D/1.
        using (var unload = await silo.Http.SendAsync(Control("/v1/control/vms/eastus/vm-6/unload", "{\"operationId\":\"u-6\",\"mode\":\"abort\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
            var answer = await LiveSilo.ReadJsonAsync(unload);
            Assert.Equal("applied", answer.GetProperty("outcome").GetString());
            Assert.Equal("empty", answer.GetProperty("vm").GetProperty("state").GetString());
        }

        Assert.Equal("offline", await ClusterStateAsync("eastus/D/0"));
        for (var i = 0; i < 6; i++)
        {
            using var routed = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(model: "D", homeRegion: "eastus", promptTokens: 50, outputTokens: 5, requestId: $"vm-off-{i}")));
            Assert.Equal("eastus/D/1", (await LiveSilo.ReadJsonAsync(routed)).GetProperty("instance").GetString());
        }

        using (var load = await silo.Http.SendAsync(Control("/v1/control/vms/eastus/vm-6/load", "{\"model\":\"D\",\"operationId\":\"l-6\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, load.StatusCode);
            Assert.Equal("ready", (await LiveSilo.ReadJsonAsync(load)).GetProperty("vm").GetProperty("state").GetString());
        }

        using (var again = await silo.Http.SendAsync(Control("/v1/control/vms/eastus/vm-6/load", "{\"model\":\"D\",\"operationId\":\"l-6\"}")))
        {
            Assert.True((await LiveSilo.ReadJsonAsync(again)).GetProperty("repeated").GetBoolean());
        }

        var instances = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var routed = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(model: "D", homeRegion: "eastus", promptTokens: 50, outputTokens: 5000, requestId: $"vm-on-{i}")));
            instances.Add((await LiveSilo.ReadJsonAsync(routed)).GetProperty("instance").GetString()!);
        }

        Assert.Contains("eastus/D/0", instances);
        Assert.Equal("active", await ClusterStateAsync("eastus/D/0"));
        Assert.True((await VmAsync("eastus/vm-6")).GetProperty("pendingTokens").GetInt64() > 0);
    }
}
