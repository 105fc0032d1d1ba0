using System.Net;

namespace SageServe.Silo.Tests.Api;

public sealed class ControlApiTests(LiveSilo silo) : IClassFixture<LiveSilo>
{
    private static HttpRequestMessage Control(HttpMethod method, string path, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = json is null ? null : LiveSilo.Json(json) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    [Theory]
    [InlineData("POST", "/v1/control/drain/westus/A/1")]
    [InlineData("POST", "/v1/control/plan")]
    [InlineData("PUT", "/v1/control/policy")]
    public async Task Control_MissingKey_Unauthorized(string method, string path)
    {
        using var response = await silo.Http.SendAsync(Control(new HttpMethod(method), path, null, "{\"name\":\"x\"}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("X-Api-Key", (await LiveSilo.ReadJsonAsync(response)).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("POST", "/v1/control/drain/westus/A/1")]
    [InlineData("POST", "/v1/control/plan")]
    [InlineData("PUT", "/v1/control/policy")]
    public async Task Control_WrongKey_Forbidden(string method, string path)
    {
        using var response = await silo.Http.SendAsync(Control(new HttpMethod(method), path, LiveSilo.ApiKey + "x", "{\"name\":\"x\"}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Drain_RightKey_InstanceShownDrainingOnTheCluster()
    {
        using var response = await silo.Http.SendAsync(Control(HttpMethod.Post, "/v1/control/drain/eastus/D/1", LiveSilo.ApiKey));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var cluster = await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync("/v1/cluster"));
        var instance = cluster.GetProperty("regions").EnumerateArray()
            .SelectMany(r => r.GetProperty("models").EnumerateArray()).SelectMany(m => m.GetProperty("instances").EnumerateArray())
            .Single(i => i.GetProperty("key").GetString() == "eastus/D/1");
        Assert.Equal("draining", instance.GetProperty("state").GetString());

        // The floor rule replaces it on the region's next control tick (1 s, real time): a scaling action in /metrics.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        string? line = null;
        while (line is null && DateTimeOffset.UtcNow < deadline && await poll.WaitForNextTickAsync())
        {
            var metrics = await silo.Http.GetStringAsync("/metrics");
            line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("sageserve_scaling_actions_total{", StringComparison.Ordinal) && l.Contains("region=\"eastus\"", StringComparison.Ordinal) && l.Contains("model=\"D\"", StringComparison.Ordinal));
        }

        Assert.True(line is not null, "no sageserve_scaling_actions_total for eastus/D after the drain");
    }

    [Fact]
    public async Task Drain_RightKey_RegionStopsRoutingToTheInstance()
    {
        using var response = await silo.Http.SendAsync(Control(HttpMethod.Post, "/v1/control/drain/westus/C/0", LiveSilo.ApiKey));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        for (var i = 0; i < 20; i++)
        {
            using var routed = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(tier: "interactive", homeRegion: "westus", model: "C", promptTokens: 50, outputTokens: 5, requestId: $"after-drain-{i}")));
            var decision = await LiveSilo.ReadJsonAsync(routed);
            Assert.Equal("routed", decision.GetProperty("outcome").GetString());
            Assert.NotEqual("westus/C/0", decision.GetProperty("instance").GetString());
        }
    }

    [Fact]
    public async Task Drain_UnknownInstance_NotFound()
    {
        using var response = await silo.Http.SendAsync(Control(HttpMethod.Post, "/v1/control/drain/eastus/D/7", LiveSilo.ApiKey));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Plan_RightKey_OkWithATargetPerRegionAndModelFromCbc()
    {
        using var response = await silo.Http.SendAsync(Control(HttpMethod.Post, "/v1/control/plan", LiveSilo.ApiKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await LiveSilo.ReadJsonAsync(response);
        Assert.Equal("ilp", plan.GetProperty("mode").GetString());
        var solver = plan.GetProperty("solver");
        Assert.Equal("Optimal", solver.GetProperty("solverStatus").GetString());
        Assert.True(solver.GetProperty("variables").GetInt32() > 0, solver.ToString());
        Assert.True(solver.GetProperty("solveMilliseconds").GetDouble() > 0, solver.ToString());
        var regions = plan.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(["westus", "centralus", "eastus"], regions.Select(r => r.GetProperty("name").GetString()));
        foreach (var region in regions)
        {
            var models = region.GetProperty("models").EnumerateArray().ToList();
            Assert.Equal(["A", "B", "C", "D"], models.Select(m => m.GetProperty("model").GetString()));
            Assert.All(models, m => Assert.True(m.GetProperty("targetInstances").GetInt32() >= 1, m.ToString()));

            // With no history (no traffic for a whole minute yet) the planner keeps the fleet it has: 2 per model.
            Assert.All(models.Where(m => !m.TryGetProperty("forecast", out _)), m => Assert.Equal(2, m.GetProperty("targetInstances").GetInt32()));
        }
    }

    [Fact]
    public async Task Plan_RightKey_SolveTimeExportedOnMetrics()
    {
        using var response = await silo.Http.SendAsync(Control(HttpMethod.Post, "/v1/control/plan", LiveSilo.ApiKey));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var metrics = await silo.Http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE sageserve_planner_solve_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Matches(@"sageserve_planner_solve_duration_seconds_count\{mode=""ilp"",status=""Optimal""\} [1-9]", metrics);
    }

    [Fact]
    public async Task EnsurePlanner_CalledAgain_IdempotentAndPlanned()
    {
        var first = await silo.Host.Plane.EnsurePlannerAsync();
        var second = await silo.Host.Plane.EnsurePlannerAsync();

        Assert.True(silo.Host.Plane.Planner.Started);
        Assert.True(second >= first, $"{first} then {second}");

        // The planner plans once as it starts (then hourly): the plan shows up without being forced.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (silo.Host.Plane.Planner.Current() is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no plan 30 s after the planner started");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        using var plan = await silo.Http.GetAsync("/v1/plan");
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
    }

    [Fact]
    public async Task Policy_RightKey_StoredAndShown()
    {
        using var response = await silo.Http.SendAsync(Control(HttpMethod.Put, "/v1/control/policy", LiveSilo.ApiKey, "{\"name\":\"spill-to-cheapest\"}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cluster = await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync("/v1/cluster"));
        Assert.Equal("spill-to-cheapest", cluster.GetProperty("policy").GetString());
    }

    [Fact]
    public async Task Policy_BadName_ProblemNamingName()
    {
        using var response = await silo.Http.SendAsync(Control(HttpMethod.Put, "/v1/control/policy", LiveSilo.ApiKey, "{\"name\":\"Has Spaces!\"}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("name", (await LiveSilo.ReadJsonAsync(response)).GetProperty("field").GetString());
    }
}

public sealed class KeylessControlApiTests(KeylessSilo silo) : IClassFixture<KeylessSilo>
{
    [Fact]
    public async Task Control_NoKeyConfigured_ForbiddenWithAClearMessage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/control/plan");
        request.Headers.Add("X-Api-Key", "anything-at-all");

        using var response = await silo.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("--api-key", (await LiveSilo.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

public sealed class Http2ApiTests(Http2Silo silo) : IClassFixture<Http2Silo>
{
    [Fact]
    public async Task Route_OverCleartextHttp2_AnsweredWithHttp2()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/route")
        {
            Content = LiveSilo.Json(LiveSilo.RouteBody()),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await silo.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }
}
