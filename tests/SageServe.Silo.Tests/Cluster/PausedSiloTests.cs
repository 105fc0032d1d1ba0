using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using SageServe.Runtime.Tests.Azurite;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Cluster;

/// <summary>A silo frozen with SIGSTOP past its death, then resumed: it must not act as an owner again.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PausedSiloTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task PausedSilo_DeclaredDeadThenResumed_RefusesToActAndExits()
    {
        azurite.RequireAvailable(output);
        await using var cluster = await SiloClusterProcesses.StartAsync(azurite.ConnectionString, ["westus", "centralus", "eastus"]);
        var paused = cluster.Silos[2];
        var pausedAddress = (await cluster.MembershipAsync(paused.Api))!.Self;
        var others = cluster.Silos.Take(2).ToList();
        Assert.Equal(HttpStatusCode.OK, (await RouteAsync(cluster.Http, paused.Api, "eastus")).StatusCode);
        Assert.Contains("region/eastus", await cluster.ActivationsAsync(paused.Api));

        Signal("STOP", paused.Process.Process);
        var stoppedAt = Stopwatch.StartNew();
        try
        {
            await cluster.WaitUntilAsync(
                async () => (await Task.WhenAll(others.Select(s => cluster.MembershipAsync(s.Api)))).All(m => m?.StatusOf(pausedAddress) == "Dead"),
                TimeSpan.FromSeconds(60), "the others declare the paused silo dead");
            output.WriteLine($"declared dead {stoppedAt.Elapsed.TotalSeconds:F1} s after SIGSTOP");

            // Its region is served elsewhere meanwhile.
            Assert.Equal(HttpStatusCode.OK, (await RouteAsync(cluster.Http, others[0].Api, "eastus")).StatusCode);
        }
        finally
        {
            Signal("CONT", paused.Process.Process);
        }

        // Resumed, it has no fresh view (and soon reads that it is dead): a request through it is refused, never routed.
        try
        {
            using var response = await RouteAsync(cluster.Http, paused.Api, "eastus");
            output.WriteLine($"resumed silo answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            output.WriteLine($"resumed silo already closed its API: {e.Message}");
        }

        // It learns it was declared dead and stops itself with exit code 3; it never rejoins under that identity.
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await paused.Process.Process.WaitForExitAsync(exit.Token);
        }

        Assert.Equal(3, paused.Process.Process.ExitCode);
        Assert.Contains("declared dead", paused.Process.Stderr, StringComparison.Ordinal);
        var views = await Task.WhenAll(others.Select(s => cluster.MembershipAsync(s.Api)));
        Assert.All(views, v => Assert.Equal("Dead", v!.StatusOf(pausedAddress)));
        var activations = await Task.WhenAll(others.Select(s => cluster.ActivationsAsync(s.Api)));
        Assert.Equal(1, activations.Count(a => a.Contains("region/eastus")));
    }

    private static Task<HttpResponseMessage> RouteAsync(HttpClient http, Uri api, string region) =>
        http.PostAsJsonAsync(new Uri(api, "v1/route"), new { model = "A", tier = "interactive", homeRegion = region, promptTokens = 8, expectedOutputTokens = 1 });

    private static void Signal(string signal, Process process)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
