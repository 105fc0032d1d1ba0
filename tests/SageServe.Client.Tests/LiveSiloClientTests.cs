using SageServe.Silo.Commands;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SageServe.Silo.Hosting;
using Xunit.Abstractions;

namespace SageServe.Client.Tests;

/// <summary>The client against a real in-process silo (Kestrel on loopback), wired through dependency injection.</summary>
public sealed class LiveSiloClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("sageserve-client-");
    private SiloHost _silo = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = _data.FullName });
        _services = new ServiceCollection()
            .AddSageServeClient(options =>
            {
                options.Endpoints = [ScriptedSilo.DeadAddress(), _silo.BaseAddress];
                options.Deadline = TimeSpan.FromSeconds(10);
            })
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _silo.DisposeAsync();
        _data.Delete(recursive: true);
    }

    [Fact]
    public async Task AddSageServeClient_RouteAndReport_AgainstARealSilo()
    {
        var client = _services.GetRequiredService<SageServeClient>();

        var decision = await client.RouteAsync(new RouteRequest("C", Tiers.Interactive, "eastus", 300, 30, RequestId: "client-7"));
        var ack = await client.ReportCompletionAsync(new CompletionReport("client-7", decision.Instance!, 30));
        var again = await client.ReportCompletionAsync(new CompletionReport("client-7", decision.Instance!, 30));
        var queued = await client.RouteAsync(new RouteRequest("C", Tiers.NonInteractive, "eastus", 300, 30, RequestId: "client-8"));

        Assert.Equal("routed", decision.Outcome);
        Assert.Equal("eastus", decision.Region);
        Assert.StartsWith("eastus/C/", decision.Instance, StringComparison.Ordinal);
        Assert.False(ack.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal("queued", queued.Outcome);
    }

    [Fact]
    public async Task Route_UnknownRegion_ApiExceptionNamingTheField()
    {
        var client = _services.GetRequiredService<SageServeClient>();

        var error = await Assert.ThrowsAsync<SageServeApiException>(() => client.RouteAsync(new RouteRequest("A", Tiers.Interactive, "atlantis", 10, 10)));

        Assert.Equal("homeRegion", error.Problem?.Field);
    }

    [Fact]
    public async Task SubmitNiwJob_ThenPoll_Completes()
    {
        var client = _services.GetRequiredService<SageServeClient>();

        var job = await client.SubmitNiwJobAsync(new NiwJobRequest("D", "westus", 500, 16), idempotencyKey: "nightly-report-1");
        var again = await client.SubmitNiwJobAsync(new NiwJobRequest("D", "westus", 500, 16), idempotencyKey: "nightly-report-1");
        var clock = Stopwatch.StartNew();
        while (job.Status is "queued" or "running" && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25));
            job = await client.GetNiwJobAsync(job.JobId);
        }

        Assert.Equal(job.JobId, again.JobId);
        Assert.Equal("completed", job.Status);
        Assert.Equal("westus", job.Region);
    }

    [Fact]
    public async Task RouteBenchmark_OneSiloOnLoopback_ServesWithoutErrors()
    {
        // SAGESERVE_BENCH_ENDPOINT measures a separately started `sageserve silo` instead of the in-process one.
        var endpoint = Environment.GetEnvironmentVariable("SAGESERVE_BENCH_ENDPOINT") is { } e ? new Uri(e) : _silo.BaseAddress;
        var client = new SageServeClient(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }), new SageServeClientOptions { Endpoints = [endpoint] });
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("SAGESERVE_BENCH_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 2;

        if (int.TryParse(Environment.GetEnvironmentVariable("SAGESERVE_BENCH_MINTHREADS"), out var minThreads))
        {
            // The live silo command raises the pool floor the same way (see SiloCommand).
            ThreadPool.SetMinThreads(minThreads, minThreads);
        }

        var concurrency = int.TryParse(Environment.GetEnvironmentVariable("SAGESERVE_BENCH_CONCURRENCY"), out var c) ? c : 16;
        var tier = Environment.GetEnvironmentVariable("SAGESERVE_BENCH_TIER") ?? Tiers.Interactive;

        var result = await RouteBenchmark.RunAsync(client, concurrency, warmup: TimeSpan.FromSeconds(1), duration: TimeSpan.FromSeconds(seconds), tier);

        output.WriteLine(result.ToString());
        Assert.Equal(0, result.Errors);
        Assert.True(result.Calls > 100, result.ToString());
    }
}
