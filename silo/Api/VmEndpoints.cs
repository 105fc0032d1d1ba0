using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SageServe.Grains.Domain;
using SageServe.Grains.Vms;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary>
/// The VMs: <c>GET /v1/vms</c> and <c>GET /v1/vms/{region}/{vm}</c> (open, like <c>/v1/cluster</c>), and the operator
/// commands <c>POST /v1/control/vms/{region}/{vm}/load</c> and <c>…/unload</c> behind the control key.
/// </summary>
public static class VmEndpoints
{
    /// <summary>Longest drain timeout accepted.</summary>
    public static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromHours(24);

    /// <summary>Maps the endpoints; <paramref name="guard"/> runs an action only for a caller with the control key.</summary>
    public static void Map(IEndpointRouteBuilder app, LiveControlPlane plane, Func<HttpContext, Func<Task>, Task> guard)
    {
        app.MapGet("/v1/vms", context => ListAsync(context, plane.Vms));
        app.MapGet("/v1/vms/{region}/{vm}", context => WithVm(context, plane.Vms, key => OneAsync(context, plane.Vms, key)));
        app.MapPost("/v1/control/vms/{region}/{vm}/load", context => guard(context, () => WithVm(context, plane.Vms, key => LoadAsync(context, plane, key))));
        app.MapPost("/v1/control/vms/{region}/{vm}/unload", context => guard(context, () => WithVm(context, plane.Vms, key => UnloadAsync(context, plane, key))));
    }

    /// <summary>The API view of one VM.</summary>
    public static VmDto ToDto(VmPlacement placement, VmStatus status)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(status);
        var load = status.Load;
        return new VmDto(
            status.Key, placement.Region.Name, status.State.ToString().ToLowerInvariant(), status.Model?.Name, status.InstanceKey, placement.HomeModel.Name,
            load.Running, load.Waiting, load.PendingTokens, load.KvTokensReserved, load.KvTokensCapacity, Math.Round(load.KvUtilisation, 4),
            status.LastOperationId, status.LastLoadTime is { } t ? Math.Round(t.TotalMilliseconds, 3) : null, status.Completed, status.Rejected);
    }

    /// <summary>Home instances whose VM does not serve them now (unloaded, draining, or holding another model).</summary>
    public static async Task<IReadOnlySet<string>> OfflineInstancesAsync(LiveVms vms)
    {
        ArgumentNullException.ThrowIfNull(vms);
        var statuses = await vms.StatusesAsync();
        return statuses
            .Where(s => s.Status.State != VmState.Ready || s.Status.InstanceKey != s.Placement.HomeInstanceKey)
            .Select(s => s.Placement.HomeInstanceKey)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static Task WithVm(HttpContext context, LiveVms vms, Func<string, Task> action)
    {
        var key = $"{context.Request.RouteValues["region"]}/{context.Request.RouteValues["vm"]}";
        return vms.Exists(key)
            ? action(key)
            : HttpIo.ProblemAsync(context, 404, "No such VM", $"'{key}' is not a VM of this silo (region/vm-n; GET /v1/vms lists them)", "vm");
    }

    private static async Task ListAsync(HttpContext context, LiveVms vms)
    {
        context.Response.Headers.CacheControl = "no-store";
        var statuses = await vms.StatusesAsync();
        await HttpIo.WriteAsync(context, 200, new VmListDto(vms.NativeEngines, [.. statuses.Select(s => ToDto(s.Placement, s.Status))]), VmJsonContext.Default.VmListDto);
    }

    private static async Task OneAsync(HttpContext context, LiveVms vms, string key)
    {
        context.Response.Headers.CacheControl = "no-store";
        var status = await vms.Vm(key).GetStatusAsync(0);
        await HttpIo.WriteAsync(context, 200, ToDto(vms.Layout.Find(key)!, status), VmJsonContext.Default.VmDto);
    }

    private static async Task LoadAsync(HttpContext context, LiveControlPlane plane, string key)
    {
        var body = await HttpIo.ReadAsync(context, VmJsonContext.Default.VmLoadDto);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(body.Model))
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid load", "model is required", "model");
            return;
        }

        if (!plane.HasModel(body.Model))
        {
            await HttpIo.ProblemAsync(context, 404, "No such model", $"unknown model '{Shorten(body.Model)}'; known: {string.Join(", ", plane.Topology.Deployments.Select(d => d.Model).Distinct())}", "model");
            return;
        }

        if (RequestValidator.IdProblem(body.OperationId) is { } idProblem)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid operation id", $"operationId {idProblem}", "operationId");
            return;
        }

        var operationId = OperationId(plane, body.OperationId);

        var result = await plane.Vms.Vm(key).LoadModelAsync(new VmLoadCommand(operationId, new ModelId(body.Model)));
        await AnswerAsync(context, plane.Vms, key, "load", operationId, result);
    }

    private static async Task UnloadAsync(HttpContext context, LiveControlPlane plane, string key)
    {
        var body = new VmUnloadDto(null, null, null);
        if (context.Request.ContentLength is not 0 || context.Request.ContentType is not null)
        {
            body = await HttpIo.ReadAsync(context, VmJsonContext.Default.VmUnloadDto);
            if (body is null)
            {
                return;
            }
        }

        VmUnloadMode mode;
        switch (body.Mode)
        {
            case null or "drain": mode = VmUnloadMode.Drain; break;
            case "abort": mode = VmUnloadMode.Abort; break;
            default:
                await HttpIo.ProblemAsync(context, 400, "Invalid unload", $"mode must be drain or abort (got '{Shorten(body.Mode)}')", "mode");
                return;
        }

        TimeSpan? timeout = null;
        if (body.DrainTimeoutSeconds is { } seconds)
        {
            if (!double.IsFinite(seconds) || seconds < 0 || seconds > MaxDrainTimeout.TotalSeconds)
            {
                await HttpIo.ProblemAsync(context, 400, "Invalid unload", $"drainTimeoutSeconds must be 0..{MaxDrainTimeout.TotalSeconds:F0}", "drainTimeoutSeconds");
                return;
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        if (RequestValidator.IdProblem(body.OperationId) is { } idProblem)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid operation id", $"operationId {idProblem}", "operationId");
            return;
        }

        var operationId = OperationId(plane, body.OperationId);

        var result = await plane.Vms.Vm(key).UnloadModelAsync(new VmUnloadCommand(operationId, mode, timeout));
        await AnswerAsync(context, plane.Vms, key, "unload", operationId, result);
    }

    /// <summary>The caller's operation id, or a fresh one (an unnamed command is not idempotent).</summary>
    private static string OperationId(LiveControlPlane plane, string? supplied) =>
        supplied ?? "api-" + plane.NextRequestId().ToString(CultureInfo.InvariantCulture);

    private static Task AnswerAsync(HttpContext context, LiveVms vms, string key, string operation, string operationId, VmCommandResult result)
    {
        var vm = ToDto(vms.Layout.Find(key)!, result.Status);
        return result.Outcome switch
        {
            VmCommandOutcome.Applied or VmCommandOutcome.NoChange => HttpIo.WriteAsync(
                context,
                result.Status.State == VmState.Draining ? 202 : 200,
                new VmCommandDto(operation, operationId, result.Outcome == VmCommandOutcome.Applied ? "applied" : "no-change", result.Repeated, vm),
                VmJsonContext.Default.VmCommandDto),
            VmCommandOutcome.UnknownModel => HttpIo.ProblemAsync(context, 404, "Model not deployed in this region", result.Problem, "model"),
            VmCommandOutcome.Conflict => HttpIo.ProblemAsync(context, 409, "VM busy", $"{result.Problem} (VM is {vm.State})", null),
            _ => HttpIo.ProblemAsync(context, 500, "Load failed", result.Problem, null),
        };
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
