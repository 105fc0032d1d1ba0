using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SageServe.Silo.Api;
using SageServe.Silo.Dashboard;

namespace SageServe.Silo.Tests.Dashboard;

/// <summary>
/// The dashboard against a stub of the API (the real contracts, serialized by the silo's own JSON contexts) that
/// says what a live silo cannot be made to say on demand: markup in names, a clustered view with a dead member, a
/// failing endpoint, one that fails once and recovers.
/// </summary>
public sealed partial class DashboardStubApiBrowserTests
{
    private const string Markup = "<img src=x onerror=alert(1)>";

    [GeneratedRegex(@"<div id=""plan-error"" class=""error"">/v1/plan failed \([^)]+\): HTTP 500: planner exploded</div>")]
    private static partial Regex PlanError();

    [ChromiumFact]
    public async Task Dashboard_NamesCarryMarkupAndAnEndpointFails_TextStaysTextAndThePanelShowsTheError()
    {
        var vmCalls = 0;
        await using var app = await StartStubAsync(context =>
        {
            switch (context.Request.Path.Value)
            {
                case "/":
                    context.Response.ContentType = "text/html; charset=utf-8";
                    return context.Response.WriteAsync(DashboardPage.Html);
                case "/v1/cluster":
                    return HttpIo.WriteAsync(context, 200, Cluster(), ApiJsonContext.Default.ClusterDto);
                case "/v1/cluster/membership":
                    return HttpIo.WriteAsync(context, 200, Membership(), ApiJsonContext.Default.MembershipDto);
                case "/v1/plan":
                    return HttpIo.ProblemAsync(context, 500, "Planner failed", "planner exploded", null);
                case "/v1/vms":
                    // Fails once: the panel must show it, keep polling and recover.
                    return Interlocked.Increment(ref vmCalls) == 1
                        ? HttpIo.ProblemAsync(context, 503, "Busy", "try again", null)
                        : HttpIo.WriteAsync(context, 200, Vms(), VmJsonContext.Default.VmListDto);
                default:
                    context.Response.StatusCode = 404;
                    return Task.CompletedTask;
            }
        });
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var dom = await HeadlessChromium.LoadAsync(url, "--dump-dom");

        // Markup from JSON is text, wherever it lands (headings, cells, badges, the routing table).
        Assert.DoesNotContain("<img", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>x</i>", dom, StringComparison.Ordinal);
        Assert.Contains("<h3>&lt;img src=x onerror=alert(1)&gt;</h3>", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;i&gt;x&lt;/i&gt;", dom, StringComparison.Ordinal);

        // The failing endpoint shows in its own panel; the others render.
        Assert.Matches(PlanError(), dom);
        Assert.True(vmCalls >= 2, $"/v1/vms polled {vmCalls} times");
        Assert.Contains(@"<div id=""vms-error"" class=""error"" hidden="""">", dom, StringComparison.Ordinal);
        Assert.Contains(@"<span id=""vm-count-draining"">1</span>", dom, StringComparison.Ordinal);
        Assert.Contains(@"<span id=""vm-count-loading"">1</span>", dom, StringComparison.Ordinal);
        Assert.Contains(@"<b id=""native-engines"">2</b>", dom, StringComparison.Ordinal);
        Assert.Contains(@"class=""badge vm-state state-draining"">draining</span>", dom, StringComparison.Ordinal);

        // Clustered: every member with its status, the planner's owner, this silo's counters.
        Assert.Contains(@"<b id=""membership-self"">127.0.0.1:11111@1/westus</b>", dom, StringComparison.Ordinal);
        Assert.Contains(@"<span class=""badge status-Dead"">Dead</span>", dom, StringComparison.Ordinal);
        Assert.Contains("<td class=\"text\">this silo, planner</td>", dom, StringComparison.Ordinal);
        Assert.Contains("remote calls sent 42 / received 17", dom, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(dom, @"<span class=""badge status-\w+"">").Count);

        // Routing within the region follows the instances' requests in flight (3 + 1 of 4 on /0, 0 on /1).
        Assert.Contains(@"<td class=""text within"">A/0 100% · A/1 0%</td>", dom, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartStubAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }

    private static ClusterDto Cluster() => new(
        12.5, "least-pending-tokens", new DecisionCountsDto(10, 0, 0, 6), 0, 0.95,
        [
            new ClusterRegionDto(Markup, 10, 10, 6, new Dictionary<string, long>(StringComparer.Ordinal), [
                new ClusterModelDto("A", "a100-80gb", [
                    new ClusterInstanceDto(Markup + "/A/0", "active", 3, 1, 900, 100, 1000, 0.1, 900),
                    new ClusterInstanceDto(Markup + "/A/1", "offline", 0, 0, 0, 0, 1000, 0, 0),
                ]),
            ]),
        ]);

    private static MembershipDto Membership()
    {
        var alive = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        return new MembershipDto(
            "127.0.0.1:11111@1/westus", CanAct: true, Version: 7,
            [
                new MemberDto("127.0.0.1:11111@1/westus", "westus", "Active", alive),
                new MemberDto("127.0.0.1:11112@1/centralus", "<i>x</i>", "Dead", alive),
                new MemberDto("127.0.0.1:11113@2/eastus", "eastus", "Active", alive),
            ],
            "127.0.0.1:11111@1/westus", PlannerActiveHere: true, Activations: 31, RemoteCallsSent: 42, RemoteCallsReceived: 17);
    }

    private static VmListDto Vms() => new(2, [
        new VmDto(Markup + "/vm-0", Markup, "ready", "A", Markup + "/A/0", "A", 3, 1, 900, 100, 1000, 0.1, "boot", 1.5, 6, 0),
        new VmDto(Markup + "/vm-1", Markup, "draining", "A", Markup + "/A/1", "A", 1, 0, 10, 10, 1000, 0.01, "u-1", 1.5, 0, 0),
        new VmDto("eastus/vm-0", "eastus", "loading", "B", null, "B", 0, 0, 0, 0, 0, 0, "l-0", null, 0, 0),
        new VmDto("eastus/vm-1", "eastus", "empty", null, null, "B", 0, 0, 0, 0, 0, 0, null, null, 0, 0),
    ]);
}
