using System.Diagnostics;
using System.Text.RegularExpressions;
using SageServe.Silo.Tests.Api;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Dashboard;

public sealed partial class DashboardBrowserTests(LiveSilo silo, ITestOutputHelper output) : IClassFixture<LiveSilo>
{
    [GeneratedRegex(@"id=""routed"">(\d+)<")]
    private static partial Regex Routed();

    [GeneratedRegex(@"plan #(\d+) made")]
    private static partial Regex PlanSequence();

    [GeneratedRegex(@"<td>(westus|centralus|eastus)/([ABCD])</td><td class=""target"">(\d+)</td><td>([^<]+|<span class=""muted"">no history</span>)</td>")]
    private static partial Regex PlanRow();

    /// <summary>A row of the routing table: served at home, spilled to (plan), within the region (in flight).</summary>
    [GeneratedRegex(@"<tr data-route=""(?<id>[^""]+)""><td>[^<]+</td><td class=""home"">(?<home>[^<]+)</td><td class=""text spill"">(?<spill>.*?)</td><td class=""text within"">(?<within>.*?)</td></tr>")]
    internal static partial Regex RoutingRow();

    [Fact]
    public async Task Dashboard_Page_IsSelfContainedAndPollsTheClusterEverySecond()
    {
        var html = await silo.Http.GetStringAsync("/");

        Assert.Contains("setInterval(tick,1000)", html, StringComparison.Ordinal);
        Assert.Contains("/v1/cluster", html, StringComparison.Ordinal);
        Assert.Contains("/v1/plan", html, StringComparison.Ordinal);
        Assert.Contains("/v1/vms", html, StringComparison.Ordinal);
        Assert.Contains("/v1/cluster/membership", html, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Dashboard_InHeadlessChromiumWhileTrafficFlows_NumbersChangeBetweenLoads()
    {
        using var traffic = new CancellationTokenSource();
        var driver = DriveTrafficAsync(traffic.Token);
        try
        {
            await WaitForRoutedAsync(1);
            var first = await LoadAsync("--dump-dom");
            var routedFirst = long.Parse(Assert.Single(Routed().Matches(first)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var seen = silo.Host.Plane.Metrics.Routed;
            await WaitForRoutedAsync(Math.Max(routedFirst, seen) + 10);
            var second = await LoadAsync("--dump-dom");
            var routedSecond = long.Parse(Assert.Single(Routed().Matches(second)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            Assert.True(routedFirst > 0, first);
            Assert.True(routedSecond > routedFirst, $"routed {routedFirst} then {routedSecond}");
            Assert.Contains("westus/A/0", second, StringComparison.Ordinal);
            var routes = RoutingRow().Matches(second);
            Assert.Equal(12, routes.Count);
            Assert.Contains(routes, r => r.Groups["within"].Value.Contains('%', StringComparison.Ordinal)); // traffic in flight somewhere

            var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
            var png = Path.Combine(screenshots.FullName, "dashboard.png");
            File.Delete(png);
            await LoadAsync($"--screenshot={png}", "--window-size=1280,1600");
            Assert.True(new FileInfo(png).Length > 10_000, $"screenshot {png} missing or empty");
            output.WriteLine($"dashboard screenshot: {png}");
        }
        finally
        {
            await traffic.CancelAsync();
            await driver;
        }
    }

    [ChromiumFact]
    public async Task Dashboard_InHeadlessChromiumAfterAForcedPlan_PlanPanelShowsEveryTargetAndTheSolve()
    {
        using var force = new HttpRequestMessage(HttpMethod.Post, "/v1/control/plan");
        force.Headers.Add("X-Api-Key", LiveSilo.ApiKey);
        using var forced = await silo.Http.SendAsync(force);
        Assert.Equal(System.Net.HttpStatusCode.OK, forced.StatusCode);
        var sequence = (await LiveSilo.ReadJsonAsync(forced)).GetProperty("sequence").GetInt32();

        // The page polls; a load may catch an older plan (made as the silo started) before the forced one shows.
        var clock = Stopwatch.StartNew();
        string dom;
        while (true)
        {
            dom = await LoadAsync("--dump-dom");
            if (PlanSequence().Match(dom) is { Success: true } shown && int.Parse(shown.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= sequence)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"plan #{sequence} never appeared on the dashboard:\n{dom}");
        }

        var rows = PlanRow().Matches(dom);
        Assert.Equal(12, rows.Count);
        Assert.All(rows, row => Assert.True(int.Parse(row.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, row.Value));
        Assert.Contains("(CBC Optimal)", dom, StringComparison.Ordinal);
        Assert.Matches(@"in \d+\.\d ms", dom);
        var routes = RoutingRow().Matches(dom);
        Assert.Equal(12, routes.Count);
        Assert.All(routes, r => Assert.Matches(@"^\d+%$", r.Groups["home"].Value));
        Assert.All(routes, r => Assert.DoesNotContain("no plan yet", r.Groups["spill"].Value, StringComparison.Ordinal));

        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var png = Path.Combine(screenshots.FullName, "dashboard-plan.png");
        File.Delete(png);
        await LoadAsync($"--screenshot={png}", "--window-size=1280,1000");
        Assert.True(new FileInfo(png).Length > 10_000, $"screenshot {png} missing or empty");
        output.WriteLine($"dashboard plan screenshot: {png}");
    }

    private async Task WaitForRoutedAsync(long atLeast)
    {
        var clock = Stopwatch.StartNew();
        while (silo.Host.Plane.Metrics.Routed < atLeast)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"traffic did not reach {atLeast} routed requests");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private async Task DriveTrafficAsync(CancellationToken stop)
    {
        string[] regions = ["westus", "centralus", "eastus"];
        string[] models = ["A", "B", "C", "D"];
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await silo.Http.PostAsync(
                    "/v1/route", LiveSilo.Json(LiveSilo.RouteBody(model: models[i % 4], homeRegion: regions[i % 3], promptTokens: 4000, outputTokens: 800)), stop);
                response.EnsureSuccessStatusCode();
                await Task.Delay(TimeSpan.FromMilliseconds(5), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private Task<string> LoadAsync(params string[] mode) => HeadlessChromium.LoadAsync(silo.Host.BaseAddress, mode);
}
