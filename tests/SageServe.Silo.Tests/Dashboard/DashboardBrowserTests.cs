using System.Diagnostics;
using System.Text.RegularExpressions;
using SageServe.Silo.Tests.Api;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Dashboard;

public sealed partial class DashboardBrowserTests(LiveSilo silo, ITestOutputHelper output) : IClassFixture<LiveSilo>
{
    [GeneratedRegex(@"id=""routed"">(\d+)<")]
    private static partial Regex Routed();

    [Fact]
    public async Task Dashboard_Page_IsSelfContainedAndPollsTheClusterEverySecond()
    {
        var html = await silo.Http.GetStringAsync("/");

        Assert.Contains("setInterval(tick,1000)", html, StringComparison.Ordinal);
        Assert.Contains("/v1/cluster", html, StringComparison.Ordinal);
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

    private async Task<string> LoadAsync(params string[] mode)
    {
        var profile = Directory.CreateTempSubdirectory("sageserve-chromium-");
        try
        {
            var start = new ProcessStartInfo(ChromiumFactAttribute.ChromiumPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=3000", .. mode,
                         silo.Host.BaseAddress.ToString()])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await stderr);
            return await stdout;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
