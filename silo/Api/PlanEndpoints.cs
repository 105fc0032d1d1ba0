using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary>
/// <c>GET /v1/plan</c> (read-only: the latest plan, forecast vs actual) and the body of <c>POST /v1/control/plan</c>
/// (mapped, behind the API key, by <see cref="ControlEndpoints"/>).
/// </summary>
public static class PlanEndpoints
{
    /// <summary>Maps <c>GET /v1/plan</c>.</summary>
    public static void Map(IEndpointRouteBuilder app, LiveControlPlane plane) =>
        app.MapGet("/v1/plan", context => CurrentAsync(context, plane));

    /// <summary>Plans now and answers 200 with the plan (the caller has checked the key).</summary>
    public static async Task ForceAsync(HttpContext context, LiveControlPlane plane)
    {
        PlanDto plan;
        try
        {
            plan = await plane.Planner.PlanNowAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The planner's own failures (a forecast or a solve that threw) are the operator's to read, not a bare 500.
            await HttpIo.ProblemAsync(context, 500, "Planning failed", e.Message, null);
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        await HttpIo.WriteAsync(context, 200, plan, PlanJsonContext.Default.PlanDto);
    }

    private static Task CurrentAsync(HttpContext context, LiveControlPlane plane)
    {
        context.Response.Headers.CacheControl = "no-store";
        return plane.Planner.Current() is { } plan
            ? HttpIo.WriteAsync(context, 200, plan, PlanJsonContext.Default.PlanDto)
            : HttpIo.ProblemAsync(context, 404, "No plan yet",
                plane.Planner.Started
                    ? "the planner is starting; its first plan comes at once, then hourly"
                    : "the planner is not running on this silo; POST /v1/control/plan (with X-Api-Key) plans now", null);
    }
}
