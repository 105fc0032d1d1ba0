using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SageServe.Silo.Tests.Api;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Dashboard;

/// <summary>
/// The VMs and cluster panels in headless Chromium, on a silo of their own (the unload here must not disturb the
/// other dashboard tests' fleet).
/// </summary>
public sealed partial class DashboardPanelsBrowserTests(LiveSilo silo, ITestOutputHelper output) : IClassFixture<LiveSilo>
{
    [GeneratedRegex(@"<b id=""vm-total"">(\d+)</b>")]
    private static partial Regex VmTotal();

    [GeneratedRegex(@"<span id=""vm-count-(?<state>\w+)"">(?<n>\d+)</span>")]
    private static partial Regex VmCount();

    [GeneratedRegex(@"<tr data-vm=""(?<vm>[^""]+)""><td>[^<]+</td><td class=""text""><span class=""badge vm-state state-(?<state>\w+)"">\w+</span></td><td class=""text"">(?<model>[^<]+)</td>")]
    private static partial Regex VmRow();

    [ChromiumFact]
    public async Task Dashboard_VmUnloadedThroughTheControlApi_VmsPanelShowsItEmptyAndItsInstanceOffline()
    {
        var before = await LoadUntilAsync(dom => Count(dom, "ready") == 24, "24 ready VMs");
        Assert.Equal("24", VmTotal().Match(before).Groups[1].Value);
        var rows = VmRow().Matches(before);
        Assert.Equal(24, rows.Count);
        Assert.All(rows, r => Assert.Equal("ready", r.Groups["state"].Value));
        Assert.Equal(3, Regex.Matches(before, @"<h3>\w+ <span class=""muted"">8/8 ready</span></h3>").Count); // grouped by region
        Assert.Contains("native engines: none (simulated workers)", before, StringComparison.Ordinal);

        // westus/vm-3 hosts westus/B/1.
        using (var unload = await silo.Http.SendAsync(Control("/v1/control/vms/westus/vm-3/unload", "{\"operationId\":\"dash-u-3\",\"mode\":\"abort\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        }

        try
        {
            var after = await LoadUntilAsync(dom => StateOf(dom, "westus/vm-3") == "empty", "westus/vm-3 empty");
            Assert.Equal(23, Count(after, "ready"));
            Assert.Equal(1, Count(after, "empty"));
            Assert.Equal("–", VmRow().Matches(after).Single(r => r.Groups["vm"].Value == "westus/vm-3").Groups["model"].Value);
            Assert.Contains(@"<h3>westus <span class=""muted"">7/8 ready</span></h3>", after, StringComparison.Ordinal);
            Assert.Matches(@"<td>westus/B/1</td><td>[^<]+</td><td class=""offline"">offline</td>", after);

            var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
            var png = Path.Combine(screenshots.FullName, "dashboard-vms.png");
            File.Delete(png);
            await HeadlessChromium.LoadAsync(silo.Host.BaseAddress, $"--screenshot={png}", "--window-size=1280,2400");
            Assert.True(new FileInfo(png).Length > 10_000, $"screenshot {png} missing or empty");
            output.WriteLine($"dashboard VMs screenshot: {png}");
        }
        finally
        {
            using var load = await silo.Http.SendAsync(Control("/v1/control/vms/westus/vm-3/load", "{\"model\":\"B\",\"operationId\":\"dash-l-3\"}"));
            Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        }

        var reloaded = await LoadUntilAsync(dom => StateOf(dom, "westus/vm-3") == "ready", "westus/vm-3 ready again");
        Assert.Equal(24, Count(reloaded, "ready"));
    }

    [ChromiumFact]
    public async Task Dashboard_StandAloneSilo_ClusterPanelSaysStandAlone()
    {
        var dom = await HeadlessChromium.LoadAsync(silo.Host.BaseAddress, "--dump-dom");

        Assert.Contains(@"<b id=""membership-mode"">stand-alone</b>", dom, StringComparison.Ordinal);
        Assert.Contains(@"<div id=""membership-error"" class=""error"" hidden=""""></div>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain(@"<table id=""members-table""", dom, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Control(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = LiveSilo.Json(json) };
        request.Headers.Add("X-Api-Key", LiveSilo.ApiKey);
        return request;
    }

    private static int Count(string dom, string state) =>
        VmCount().Matches(dom).Where(m => m.Groups["state"].Value == state).Select(m => int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)).SingleOrDefault(-1);

    private static string? StateOf(string dom, string vm) =>
        VmRow().Matches(dom).SingleOrDefault(r => r.Groups["vm"].Value == vm)?.Groups["state"].Value;

    /// <summary>Loads the page until <paramref name="done"/> holds: the page polls, so one load may still show the state before.</summary>
    private async Task<string> LoadUntilAsync(Func<string, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var dom = await HeadlessChromium.LoadAsync(silo.Host.BaseAddress, "--dump-dom");
            if (done(dom))
            {
                return dom;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the dashboard never showed {what}:\n{dom}");
        }
    }
}
