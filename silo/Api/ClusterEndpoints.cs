using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SageServe.Grains.Domain;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary><c>GET /v1/cluster</c> and <c>GET /metrics</c>.</summary>
public static class ClusterEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app, LiveControlPlane plane, PrometheusCollector collector)
    {
        app.MapGet("/v1/cluster", context => ClusterAsync(context, plane));
        app.MapGet("/v1/cluster/membership", context =>
        {
            // No grain calls: answers even while grains are moving between silos.
            context.Response.Headers.CacheControl = "no-store";
            return Membership(plane) is { } dto
                ? HttpIo.WriteAsync(context, 200, dto, ApiJsonContext.Default.MembershipDto)
                : HttpIo.ProblemAsync(context, 404, "Not clustered", "this silo runs stand-alone (start it with --cluster-storage to join a cluster)", null);
        });
        app.MapGet("/v1/cluster/activations", context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            var dto = new ActivationsDto(plane.Cluster?.Address.ToString() ?? "local", [.. plane.Silo.ActiveGrains().Select(g => g.ToString())]);
            return HttpIo.WriteAsync(context, 200, dto, ApiJsonContext.Default.ActivationsDto);
        });
        app.MapGet("/metrics", context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return context.Response.WriteAsync(collector.Scrape(), context.RequestAborted);
        });
    }

    /// <summary>Builds the cluster view.</summary>
    public static async Task<ClusterDto> BuildAsync(LiveControlPlane plane)
    {
        var (regions, loads) = await plane.SnapshotAsync();
        var offline = await VmEndpoints.OfflineInstancesAsync(plane.Vms);
        var byName = regions.ToDictionary(r => r.Region.Name, StringComparer.Ordinal);
        var regionDtos = plane.Topology.Regions.Select(region =>
        {
            var snapshot = byName[region.Name];
            var models = plane.Topology.In(region).Select(d => new ClusterModelDto(
                d.Model.Name,
                d.Sku.Name,
                [.. Enumerable.Range(0, d.Instances).Select(i =>
                {
                    var key = FleetTopology.InstanceKey(d.Region, d.Model, i);
                    var load = loads[key];
                    return new ClusterInstanceDto(
                        key, plane.IsDrained(key) ? "draining" : offline.Contains(key) ? "offline" : "active", load.Running, load.Waiting, load.PendingTokens,
                        load.KvTokensReserved, load.KvTokensCapacity, Math.Round(load.KvUtilisation, 4),
                        snapshot.PendingTokensByInstance.GetValueOrDefault(key));
                })]));
            return new ClusterRegionDto(
                region.Name, snapshot.Arrived, snapshot.Routed, snapshot.Completed,
                new Dictionary<string, long>(snapshot.Rejected, StringComparer.Ordinal), [.. models], snapshot.NiwQueued, snapshot.NiwOverdue);
        });
        var m = plane.Metrics;
        return new ClusterDto(
            Math.Round((plane.Silo.Time.GetUtcNow() - plane.StartedAt).TotalSeconds, 1),
            plane.Policy,
            new DecisionCountsDto(m.Routed, m.Queued, m.Rejected, m.Completed),
            m.NiwQueueDepth,
            m.SloAttainment is { } slo ? Math.Round(slo, 4) : null,
            [.. regionDtos],
            Membership(plane),
            plane.Strategy);
    }

    private static MembershipDto? Membership(LiveControlPlane plane)
    {
        if (plane.Cluster is not { } cluster)
        {
            return null;
        }

        var snapshot = cluster.Agent.Snapshot;
        return new MembershipDto(
            cluster.Address.ToString(),
            cluster.Routing.CanAct,
            snapshot.Version,
            [.. snapshot.Entries.Select(e => new MemberDto(e.Address.ToString(), e.Region, e.Status.ToString(), e.IAmAliveTime))],
            Runtime.Cluster.PlacementDirector.GetSingletonOwner(snapshot)?.ToString(),
            plane.PlannerActiveHere,
            plane.Silo.ActivationCount,
            cluster.Routing.RemoteCallsSent,
            cluster.Routing.RemoteCallsReceived);
    }

    private static async Task ClusterAsync(HttpContext context, LiveControlPlane plane)
    {
        context.Response.Headers.CacheControl = "no-store";
        await HttpIo.WriteAsync(context, 200, await BuildAsync(plane), ApiJsonContext.Default.ClusterDto);
    }
}
