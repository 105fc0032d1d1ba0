using System.Net;
using System.Text.Json;

namespace SageServe.Silo.Tests.Api;

public sealed class RouteApiTests(LiveSilo silo) : IClassFixture<LiveSilo>
{
    [Fact]
    public async Task Route_InteractiveRequest_RoutesToAnInstanceOfItsHomeRegion()
    {
        using var response = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(model: "B", homeRegion: "eastus", requestId: "happy-1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await LiveSilo.ReadJsonAsync(response);
        Assert.Equal("happy-1", body.GetProperty("requestId").GetString());
        Assert.Equal("routed", body.GetProperty("outcome").GetString());
        Assert.Equal("eastus", body.GetProperty("region").GetString());
        Assert.Matches("^eastus/B/[01]$", body.GetProperty("instance").GetString());
        Assert.StartsWith("sim://eastus/B/", body.GetProperty("workerEndpoint").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_SameRequestIdTwice_SameDecisionCountedOnce()
    {
        var before = silo.Host.Plane.Metrics.Routed;
        var body = LiveSilo.RouteBody(model: "D", homeRegion: "westus", requestId: "retried-" + Guid.NewGuid().ToString("N"));

        using var first = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(body));
        using var second = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(body));

        var a = await LiveSilo.ReadJsonAsync(first);
        var b = await LiveSilo.ReadJsonAsync(second);
        Assert.Equal(a.GetProperty("instance").GetString(), b.GetProperty("instance").GetString());
        Assert.Equal(a.GetProperty("outcome").GetString(), b.GetProperty("outcome").GetString());
        Assert.Equal(1, silo.Host.Plane.Metrics.Routed - before);
    }

    [Theory]
    [InlineData("{\"model\":\"Z\",\"tier\":\"interactive\",\"homeRegion\":\"westus\",\"promptTokens\":5,\"expectedOutputTokens\":5}", "model")]
    [InlineData("{\"tier\":\"interactive\",\"homeRegion\":\"westus\",\"promptTokens\":5,\"expectedOutputTokens\":5}", "model")]
    [InlineData("{\"model\":\"A\",\"tier\":\"urgent\",\"homeRegion\":\"westus\",\"promptTokens\":5,\"expectedOutputTokens\":5}", "tier")]
    [InlineData("{\"model\":\"A\",\"tier\":\"interactive\",\"homeRegion\":\"mars\",\"promptTokens\":5,\"expectedOutputTokens\":5}", "homeRegion")]
    [InlineData("{\"model\":\"A\",\"tier\":\"interactive\",\"homeRegion\":\"westus\",\"regionPreference\":[\"moon\"],\"promptTokens\":5,\"expectedOutputTokens\":5}", "regionPreference[0]")]
    [InlineData("{\"model\":\"A\",\"tier\":\"interactive\",\"homeRegion\":\"westus\",\"promptTokens\":0,\"expectedOutputTokens\":5}", "promptTokens")]
    [InlineData("{\"model\":\"A\",\"tier\":\"interactive\",\"homeRegion\":\"westus\",\"promptTokens\":5,\"expectedOutputTokens\":1000001}", "expectedOutputTokens")]
    [InlineData("{\"requestId\":\"has space\",\"model\":\"A\",\"tier\":\"interactive\",\"homeRegion\":\"westus\",\"promptTokens\":5,\"expectedOutputTokens\":5}", "requestId")]
    public async Task Route_InvalidField_ProblemDetailsNamingTheField(string json, string field)
    {
        using var response = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await LiveSilo.ReadJsonAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_MalformedJson_BadRequestProblem()
    {
        using var response = await silo.Http.PostAsync("/v1/route", LiveSilo.Json("{\"model\": \"A\", "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Malformed JSON", (await LiveSilo.ReadJsonAsync(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Route_BodyOver64KiB_PayloadTooLarge()
    {
        var padding = new string('x', 70 * 1024);
        using var response = await silo.Http.PostAsync("/v1/route", LiveSilo.Json($"{{\"model\":\"{padding}\"}}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Route_NonInteractive_IsQueuedDurablyAndItsCompletionReportIsIdempotent()
    {
        using var routed = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(tier: "non-interactive", homeRegion: "centralus", model: "D", promptTokens: 700, outputTokens: 30, requestId: "niw-route-1")));
        var decision = await LiveSilo.ReadJsonAsync(routed);
        Assert.Equal("queued", decision.GetProperty("outcome").GetString());
        Assert.Equal("centralus", decision.GetProperty("region").GetString());

        // The region releases it to an instance when there is room; a caller reporting it twice is told the second is a duplicate.
        var report = JsonSerializer.Serialize(new { requestId = "niw-route-1", instance = "centralus/D/0", outputTokens = 30 });
        using var first = await silo.Http.PostAsync("/v1/completions", LiveSilo.Json(report));
        using var second = await silo.Http.PostAsync("/v1/completions", LiveSilo.Json(report));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False((await LiveSilo.ReadJsonAsync(first)).GetProperty("duplicate").GetBoolean());
        Assert.True((await LiveSilo.ReadJsonAsync(second)).GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Completions_UnknownInstance_ProblemNamingInstance()
    {
        using var response = await silo.Http.PostAsync("/v1/completions", LiveSilo.Json("{\"requestId\":\"x1\",\"instance\":\"westus/Q/9\"}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("instance", (await LiveSilo.ReadJsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Cluster_AfterTraffic_ShowsEveryInstanceAndCountsArrivals()
    {
        for (var i = 0; i < 5; i++)
        {
            using var r = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(model: "C", homeRegion: "westus", promptTokens: 2000, outputTokens: 400)));
            r.EnsureSuccessStatusCode();
        }

        using var response = await silo.Http.GetAsync("/v1/cluster");
        var cluster = await LiveSilo.ReadJsonAsync(response);

        var regions = cluster.GetProperty("regions").EnumerateArray().ToArray();
        Assert.Equal(["westus", "centralus", "eastus"], regions.Select(r => r.GetProperty("name").GetString()));
        Assert.All(regions, r => Assert.Equal(4, r.GetProperty("models").GetArrayLength()));
        var instances = regions.SelectMany(r => r.GetProperty("models").EnumerateArray()).SelectMany(m => m.GetProperty("instances").EnumerateArray()).ToArray();
        Assert.Equal(24, instances.Length);
        Assert.True(regions[0].GetProperty("arrived").GetInt64() >= 5);
        Assert.True(cluster.GetProperty("decisions").GetProperty("routed").GetInt64() >= 5);
        Assert.Contains(instances, i => i.GetProperty("key").GetString()!.StartsWith("westus/C/", StringComparison.Ordinal) && i.GetProperty("kvTokensCapacity").GetInt64() > 0);
    }

    [Fact]
    public async Task Metrics_AfterARoute_PrometheusTextWithDecisionsAndLatency()
    {
        using var routed = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody()));
        routed.EnsureSuccessStatusCode();

        using var response = await silo.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE sageserve_route_decisions_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"sageserve_route_decisions_total\{outcome=""routed""\} [1-9]", text);
        Assert.Contains("sageserve_route_duration_seconds_bucket{le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE sageserve_niw_queue_depth gauge", text, StringComparison.Ordinal);
        Assert.Matches(@"sageserve_http_requests_in_flight [1-9]", text); // this scrape itself is in flight
    }

    [Fact]
    public async Task Cluster_AfterAnInteractiveRequestFinishes_ReportsSloAttainmentAndTtft()
    {
        using var routed = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(model: "B", homeRegion: "centralus", promptTokens: 100, outputTokens: 4)));
        routed.EnsureSuccessStatusCode();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (silo.Host.Plane.Metrics.Completed == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }

        var cluster = await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync("/v1/cluster"));
        var metrics = await silo.Http.GetStringAsync("/metrics");

        Assert.InRange(cluster.GetProperty("sloAttainment").GetDouble(), 0, 1);
        Assert.True(cluster.GetProperty("decisions").GetProperty("completed").GetInt64() >= 1);
        Assert.Contains("sageserve_request_ttft_seconds_bucket{tier=\"interactive\",le=", metrics, StringComparison.Ordinal);
        Assert.Matches(@"sageserve_requests_completed_total\{slo_met=""(true|false)"",tier=""interactive""\} [1-9]", metrics);
    }

    [Fact]
    public async Task UnknownPath_NotFoundProblem()
    {
        using var response = await silo.Http.GetAsync("/v2/nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
