using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using SageServe.Client;
using SageServe.Runtime.Tests.Azurite;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Cluster;

/// <summary>
/// Three <c>sageserve silo</c> processes on loopback, one Azurite for membership and grain state, real HTTP/2 between
/// silos: a silo killed under load (SIGKILL), and a silo paused (SIGSTOP) past its death and resumed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ClusterFailoverTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly string[] s_regions = ["westus", "centralus", "eastus"];
    private static readonly string[] s_models = ["A", "B", "C", "D"];

    [SkippableFact]
    public async Task KillSiloUnderLoad_RoutesSucceedJobsCompletePlannerMovesSingleActivation()
    {
        azurite.RequireAvailable(output);
        // 16 simulated instances per (region, model) serve tiny requests at this rate in real time, so the NIW jobs find
        // room (valley filling) while the route load runs; the default 2 per model would queue minutes of work.
        await using var cluster = await SiloClusterProcesses.StartAsync(azurite.ConnectionString, s_regions, instancesPerModel: 16);
        var victim = cluster.Silos[0]; // the oldest: it hosts the planner, and the client prefers it (listed first)
        var victimAddress = (await cluster.MembershipAsync(victim.Api))!.Self;
        Assert.True((await cluster.MembershipAsync(victim.Api))!.PlannerActiveHere, "the oldest silo hosts the planner");
        var survivors = cluster.Silos.Skip(1).ToList();

        using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var client = new SageServeClient(http, new SageServeClientOptions
        {
            Endpoints = [.. cluster.Silos.Select(s => s.Api)],
            HttpVersion = HttpVersion.Version20,
            Deadline = TimeSpan.FromSeconds(30),
            AttemptTimeout = TimeSpan.FromSeconds(10),
            MaxAttempts = 12,
        });

        const int ratePerSecond = 2_100;
        var runFor = TimeSpan.FromSeconds(60);
        var killAfter = TimeSpan.FromSeconds(20);
        var total = (int)(ratePerSecond * runFor.TotalSeconds);
        var failures = new ConcurrentBag<(RouteRequest Request, Exception Error)>();
        var latencies = new double[total];
        long succeeded = 0;
        var jobs = new ConcurrentBag<string>();
        var jobSubmissions = new List<Task>();
        var calls = new List<Task>(total);
        using var inFlight = new SemaphoreSlim(1_024);
        var random = new Random(5);
        TimeSpan? killedAt = null;
        Task<TimeSpan>? plannerBack = null;
        var clock = Stopwatch.StartNew();
        using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(5)))
        {
            var issued = 0;
            var nextJob = TimeSpan.Zero;
            while (issued < total)
            {
                await pace.WaitForNextTickAsync();
                var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * ratePerSecond));
                for (; issued < due; issued++)
                {
                    await inFlight.WaitAsync();
                    var index = issued;
                    var request = new RouteRequest(
                        s_models[random.Next(s_models.Length)], "interactive", s_regions[random.Next(s_regions.Length)], 8, 1, $"load-{index}");
                    calls.Add(RouteOnceAsync(client, request, index));
                }

                if (clock.Elapsed >= nextJob)
                {
                    nextJob += TimeSpan.FromMilliseconds(500);
                    var key = $"job-{jobSubmissions.Count}";
                    var region = s_regions[jobSubmissions.Count % s_regions.Length];
                    jobSubmissions.Add(SubmitJobAsync(client, new NiwJobRequest(s_models[jobSubmissions.Count % s_models.Length], region, 300, 30), key));
                }

                if (killedAt is null && clock.Elapsed >= killAfter)
                {
                    victim.Process.Process.Kill(); // SIGKILL: no goodbye, its membership row stays Active
                    killedAt = clock.Elapsed;
                    plannerBack = WaitForPlannerAsync(cluster, survivors, clock);
                }
            }
        }

        await Task.WhenAll(calls);
        var elapsed = clock.Elapsed;
        await Task.WhenAll(jobSubmissions);
        var plannerAfterKill = await plannerBack! - killedAt!.Value;

        // Numbers first (they are the point of the test), then the assertions.
        Array.Sort(latencies);
        var achieved = total / elapsed.TotalSeconds;
        output.WriteLine($"route calls: {total:N0} in {elapsed.TotalSeconds:F1} s = {achieved:N0}/s; succeeded {succeeded:N0} ({100.0 * succeeded / total:F3}%), failed {failures.Count}");
        output.WriteLine($"latency ms: p50 {latencies[total / 2]:F1}, p99 {latencies[(int)(total * 0.99)]:F1}, p99.9 {latencies[(int)(total * 0.999)]:F1}, max {latencies[^1]:F0}");
        output.WriteLine($"killed {victimAddress} at {killedAt.Value.TotalSeconds:F1} s; planner active again {plannerAfterKill.TotalSeconds:F1} s later");
        output.WriteLine($"NIW jobs accepted: {jobs.Count} of {jobSubmissions.Count}");

        Assert.True(achieved >= 2_000, $"drove {achieved:N0} route calls/s, below 2,000/s");
        Assert.True(succeeded >= total * 0.999, $"{succeeded:N0} of {total:N0} route calls succeeded (< 99.9%); first failures: {string.Join("; ", failures.Take(3).Select(f => f.Error.Message))}");
        foreach (var (request, error) in failures)
        {
            // The rest failed with a retryable error (unavailable or timed out), and succeed when retried.
            Assert.True(error is TimeoutException || error is SageServeApiException { Status: HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.InternalServerError }, $"non-retryable failure: {error}");
            Assert.Equal("routed", (await client.RouteAsync(request)).Outcome);
        }

        Assert.True(plannerAfterKill < TimeSpan.FromSeconds(30), $"the planner came back after {plannerAfterKill.TotalSeconds:F1} s (limit 30 s)");

        // Every accepted NIW job is still there and completes.
        Assert.Equal(jobSubmissions.Count, jobs.Count);
        var unfinished = jobs.ToHashSet();
        var finishing = cluster.WaitUntilAsync(
            async () =>
            {
                foreach (var job in unfinished.ToList())
                {
                    var state = await client.GetNiwJobAsync(job);
                    Assert.NotEqual("rejected", state.Status);
                    if (state.Status == "completed")
                    {
                        unfinished.Remove(job);
                    }
                }

                return unfinished.Count == 0;
            },
            TimeSpan.FromSeconds(90),
            "every accepted NIW job completes");
        try
        {
            await finishing;
        }
        catch (TimeoutException)
        {
            foreach (var job in unfinished)
            {
                var state = await client.GetNiwJobAsync(job);
                output.WriteLine($"unfinished {job}: {state.Status} region={state.Region} instance={state.Instance} reason={state.Reason} updated={state.UpdatedAt:HH:mm:ss.fff}");
            }

            foreach (var silo in survivors)
            {
                // Where the NIW work waits and how full each region looks (valley filling releases below half).
                output.WriteLine($"--- /v1/cluster from {silo.Region}: {await cluster.Http.GetStringAsync(new Uri(silo.Api, "v1/cluster"))}");
            }

            output.WriteLine(cluster.Logs());
            throw;
        }

        // Once membership settles, no grain has two activations, and the victim's region lives on a survivor.
        await cluster.WaitUntilAsync(
            async () => (await Task.WhenAll(survivors.Select(s => cluster.MembershipAsync(s.Api)))).All(m => m is { } v && v.ActiveCount == 2 && v.StatusOf(victimAddress) == "Dead"),
            TimeSpan.FromSeconds(30), "both survivors see the victim dead");
        var activations = await Task.WhenAll(survivors.Select(s => cluster.ActivationsAsync(s.Api)));
        var twice = activations[0].Intersect(activations[1]).ToList();
        Assert.True(twice.Count == 0, $"grains active on both survivors: {string.Join(", ", twice)}");
        Assert.Contains(activations.SelectMany(a => a), g => g == "region/" + victim.Region);
        Assert.Equal(1, activations.Count(a => a.Contains("planner/cluster")));
        output.WriteLine($"activations after settling: {string.Join(" | ", activations.Select(a => a.Count))}");

        async Task RouteOnceAsync(SageServeClient c, RouteRequest request, int index)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var decision = await c.RouteAsync(request);
                Assert.NotNull(decision.Region);
                Interlocked.Increment(ref succeeded);
            }
            catch (Exception e) when (e is SageServeApiException or TimeoutException or HttpRequestException)
            {
                failures.Add((request, e));
            }
            finally
            {
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                inFlight.Release();
            }
        }

        async Task SubmitJobAsync(SageServeClient c, NiwJobRequest job, string key)
        {
            var accepted = await c.SubmitNiwJobAsync(job, key);
            jobs.Add(accepted.JobId);
        }
    }

    private static async Task<TimeSpan> WaitForPlannerAsync(SiloClusterProcesses cluster, List<(Api.SiloProcess Process, Uri Api, string Region)> survivors, Stopwatch clock)
    {
        await cluster.WaitUntilAsync(
            async () => (await Task.WhenAll(survivors.Select(s => cluster.MembershipAsync(s.Api)))).Any(m => m is { PlannerActiveHere: true, CanAct: true }),
            TimeSpan.FromSeconds(60), "a survivor hosts the planner");
        return clock.Elapsed;
    }
}
