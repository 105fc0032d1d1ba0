using System.Net;
using System.Text.Json;

namespace SageServe.Client.Tests;

public sealed class SageServeClientTests
{
    private static readonly RouteRequest s_request = new("A", Tiers.Interactive, "westus", 100, 10);

    private static SageServeClient Client(params Uri[] endpoints) =>
        new(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, new SageServeClientOptions
        {
            Endpoints = endpoints,
            Deadline = TimeSpan.FromSeconds(10),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(10),
        });

    [Fact]
    public async Task Route_FirstSiloDown_FailsOverToTheSecond()
    {
        await using var second = await ScriptedSilo.StartAsync((_, c) => ScriptedSilo.Json(c, 200, ScriptedSilo.RouteOk));

        var response = await Client(ScriptedSilo.DeadAddress(), second.Address).RouteAsync(s_request);

        Assert.Equal("routed", response.Outcome);
        Assert.Equal("westus/A/0", response.Instance);
        Assert.Single(second.Requests);
    }

    [Fact]
    public async Task Route_BadRequest_NotRetriedAndProblemSurfaced()
    {
        const string problem = """{"type":"about:blank","title":"Invalid request","status":400,"detail":"model: unknown","field":"model"}""";
        await using var first = await ScriptedSilo.StartAsync((_, c) => ScriptedSilo.Json(c, 400, problem, "application/problem+json"));
        await using var second = await ScriptedSilo.StartAsync((_, c) => ScriptedSilo.Json(c, 200, ScriptedSilo.RouteOk));

        var error = await Assert.ThrowsAsync<SageServeApiException>(() => Client(first.Address, second.Address).RouteAsync(s_request));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("model", error.Problem?.Field);
        Assert.Single(first.Requests);
        Assert.Empty(second.Requests);
    }

    [Fact]
    public async Task Route_ServiceUnavailableThenOk_RetriedWithTheSameIdempotencyKeyAndRequestId()
    {
        await using var silo = await ScriptedSilo.StartAsync((n, c) => n == 0 ? ScriptedSilo.Json(c, 503, "{}") : ScriptedSilo.Json(c, 200, ScriptedSilo.RouteOk));

        var response = await Client(silo.Address).RouteAsync(s_request);

        Assert.Equal("routed", response.Outcome);
        var requests = silo.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.NotNull(requests[0].IdempotencyKey);
        Assert.Equal(requests[0].IdempotencyKey, requests[1].IdempotencyKey);
        var ids = requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("requestId").GetString()).ToArray();
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(requests[0].IdempotencyKey, ids[0]);
    }

    [Fact]
    public async Task SubmitNiwJob_FirstSiloFailing_IdempotencyKeyReusedOnTheNextSilo()
    {
        await using var failing = await ScriptedSilo.StartAsync((_, c) => ScriptedSilo.Json(c, 502, "{}"));
        await using var healthy = await ScriptedSilo.StartAsync((_, c) => ScriptedSilo.Json(c, 202, ScriptedSilo.NiwOk));

        var job = await Client(failing.Address, healthy.Address).SubmitNiwJobAsync(new NiwJobRequest("A", "westus", 100, 10), idempotencyKey: "op-42");

        Assert.Equal("niw-1", job.JobId);
        Assert.Equal("op-42", Assert.Single(failing.Requests).IdempotencyKey);
        Assert.Equal("op-42", Assert.Single(healthy.Requests).IdempotencyKey);
    }

    [Fact]
    public async Task SubmitNiwJob_NoKeyGiven_OneGeneratedKeyForEveryAttempt()
    {
        await using var silo = await ScriptedSilo.StartAsync((n, c) => n < 2 ? ScriptedSilo.Json(c, 504, "{}") : ScriptedSilo.Json(c, 202, ScriptedSilo.NiwOk));

        await Client(silo.Address).SubmitNiwJobAsync(new NiwJobRequest("A", "westus", 100, 10));

        var keys = silo.Requests.Select(r => r.IdempotencyKey).ToArray();
        Assert.Equal(3, keys.Length);
        Assert.False(string.IsNullOrEmpty(keys[0]));
        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }

    [Fact]
    public async Task Route_SiloHangs_FailsWithinTheDeadline()
    {
        await using var silo = await ScriptedSilo.StartAsync(async (_, c) => await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted));
        var client = new SageServeClient(new HttpClient(), new SageServeClientOptions
        {
            Endpoints = [silo.Address],
            Deadline = TimeSpan.FromMilliseconds(600),
            AttemptTimeout = TimeSpan.FromMilliseconds(200),
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxAttempts = 10,
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SageServeUnavailableException>(() => client.RouteAsync(s_request));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.InRange(silo.Requests.Count, 0, 4); // at most one attempt per 200 ms (the first may not have reached the handler yet)
    }

    [Fact]
    public async Task Route_AllSilosDown_UnavailableAfterMaxAttempts()
    {
        var error = await Assert.ThrowsAsync<SageServeUnavailableException>(() => Client(ScriptedSilo.DeadAddress(), ScriptedSilo.DeadAddress()).RouteAsync(s_request));

        Assert.Contains("4 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoEndpoints_ArgumentExceptionNamingEndpoints()
    {
        var error = Assert.Throws<ArgumentException>(() => new SageServeClient(new HttpClient(), new SageServeClientOptions()));

        Assert.Contains("Endpoints", error.Message, StringComparison.Ordinal);
    }
}
