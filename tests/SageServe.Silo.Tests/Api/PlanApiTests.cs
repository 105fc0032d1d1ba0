using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SageServe.Silo.Hosting;
using SageServe.Simulation.Workloads;

namespace SageServe.Silo.Tests.Api;

/// <summary>
/// A silo that does not start the planner by itself (as a cluster member that is not its owner) and seeds it with
/// 12 hours of synthetic history, so a forced plan forecasts every (region, model) and sizes it with the ILP on CBC.
/// </summary>
public sealed class WarmPlannerSilo : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sageserve-plan-");

    public SiloHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var history = Path.Combine(_dir.FullName, "history.csv");
        TraceTool.Generate(new SyntheticWorkloadOptions { Seed = 11, RequestsPerDay = 200_000, Duration = TimeSpan.FromHours(12) }, history, TraceFormat.SageServe);
        Host = await SiloHost.StartAsync(new SiloHostOptions
        {
            Port = 0, DataDir = Path.Combine(_dir.FullName, "data"), ApiKey = LiveSilo.ApiKey, PlannerAtStart = false, PlannerHistory = history,
        });
        Http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}

public sealed class PlanApiTests(WarmPlannerSilo silo) : IClassFixture<WarmPlannerSilo>
{
    [Fact]
    public async Task Plan_BeforeAndAfterAForcedPlan_NotFoundThenForecastsTargetsAndActualTraffic()
    {
        using (var before = await silo.Http.GetAsync("/v1/plan"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
            Assert.Equal("application/problem+json; charset=utf-8", before.Content.Headers.ContentType?.ToString());
            var problem = await LiveSilo.ReadJsonAsync(before);
            Assert.Equal("No plan yet", problem.GetProperty("title").GetString());
            Assert.Contains("POST /v1/control/plan", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var keyless = await silo.Http.PostAsync("/v1/control/plan", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        }

        Assert.Null(silo.Host.Plane.Planner.Current());

        using var force = new HttpRequestMessage(HttpMethod.Post, "/v1/control/plan");
        force.Headers.Add("X-Api-Key", LiveSilo.ApiKey);
        using var forced = await silo.Http.SendAsync(force);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var plan = await LiveSilo.ReadJsonAsync(forced);
        Assert.Equal("ilp", plan.GetProperty("mode").GetString());
        Assert.Equal("holt-winters", plan.GetProperty("forecaster").GetString());
        var solver = plan.GetProperty("solver");
        Assert.Contains(solver.GetProperty("solverStatus").GetString(), (string[])["Optimal", "Feasible"]);
        Assert.True(solver.GetProperty("objectiveUsd").GetDouble() > 0, solver.ToString());
        var targets = Targets(plan);
        Assert.Equal(12, targets.Count);
        Assert.All(targets, t =>
        {
            Assert.True(t.Model.GetProperty("targetInstances").GetInt32() >= 1, t.Model.ToString());
            Assert.True(t.Model.GetProperty("forecast").GetProperty("peakPromptTokensPerMinute").GetDouble() > 0, t.Model.ToString());
            Assert.Contains("holt-winters: next-hour peak", t.Model.GetProperty("reason").GetString(), StringComparison.Ordinal);
        });

        // Activating the planner also started its timer, which plans once at once: wait for both plans so the
        // traffic below is counted against the plan GET returns.
        var clock = Stopwatch.StartNew();
        while (silo.Host.Plane.Planner.Current() is not { Sequence: >= 1 })
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the planner's own first plan did not arrive");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        for (var i = 0; i < 5; i++)
        {
            using var routed = await silo.Http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(model: "A", homeRegion: "westus", promptTokens: 1000, outputTokens: 10)));
            Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        }

        using var after = await silo.Http.GetAsync("/v1/plan");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var current = await LiveSilo.ReadJsonAsync(after);
        Assert.True(current.GetProperty("sequence").GetInt32() >= 1);
        var westA = Targets(current).Single(t => t.Region == "westus" && t.Model.GetProperty("model").GetString() == "A").Model;
        Assert.Equal(5000, westA.GetProperty("actual").GetProperty("promptTokens").GetDouble());
        Assert.True(westA.GetProperty("actual").GetProperty("peakPromptTokensPerMinute").GetDouble() >= 1000);
        var eastD = Targets(current).Single(t => t.Region == "eastus" && t.Model.GetProperty("model").GetString() == "D").Model;
        Assert.Equal(0, eastD.GetProperty("actual").GetProperty("promptTokens").GetDouble());
    }

    private static List<(string Region, JsonElement Model)> Targets(JsonElement plan) =>
        [.. plan.GetProperty("regions").EnumerateArray()
            .SelectMany(r => r.GetProperty("models").EnumerateArray().Select(m => (r.GetProperty("name").GetString()!, m)))];
}

public sealed class PlannerWarmUpTests
{
    [Fact]
    public void Read_MalformedTrace_OptionErrorNamingFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sageserve-warmup-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, string.Join(',', SageServeTraceReader.Columns) + "\nnot,a,request\n");
        try
        {
            var error = Assert.Throws<SiloOptionException>(() => PlannerWarmUp.Read(path));

            Assert.Equal("--planner-history", error.Option);
            Assert.Contains($"{Path.GetFileName(path)}:2:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_Trace_OneEqualLengthSeriesPerRegionAndModelOfInteractivePromptTokens()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sageserve-warmup-{Guid.NewGuid():N}.csv");
        var options = new SyntheticWorkloadOptions { Seed = 3, RequestsPerDay = 20_000, Duration = TimeSpan.FromHours(2) };
        TraceTool.Generate(options, path, TraceFormat.SageServe);
        try
        {
            var history = PlannerWarmUp.Read(path);

            var expected = new SyntheticWorkloadGenerator(options).Generate()
                .Where(r => r.Tier == Grains.Domain.Tier.Interactive && r.HomeRegion.Name == "eastus" && r.Model.Name == "B")
                .Sum(r => (double)r.PromptTokens);
            var series = history(new("eastus"), new("B"));
            Assert.Equal(expected, series.Sum(), 6);
            Assert.Equal(series.Count, history(new("westus"), new("A")).Count);
            Assert.InRange(series.Count, 110, 120);
            Assert.Empty(history(new("mars"), new("A")));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
