using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary><c>POST /v1/niw</c> (durable before 202; idempotent on <c>Idempotency-Key</c>) and <c>GET /v1/niw/{id}</c>.</summary>
public static class NiwEndpoints
{
    /// <summary>Default deadline of a job.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromHours(24);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app, LiveControlPlane plane)
    {
        var validator = new RequestValidator(plane);
        app.MapPost("/v1/niw", context => SubmitAsync(context, plane, validator));
        app.MapGet("/v1/niw/{id}", context => GetAsync(context, plane));
    }

    /// <summary>The job id for an idempotency key: the same key always names the same job grain.</summary>
    public static string JobIdFor(string idempotencyKey) =>
        "niw-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..24];

    private static async Task SubmitAsync(HttpContext context, LiveControlPlane plane, RequestValidator validator)
    {
        string? key = context.Request.Headers["Idempotency-Key"];
        if (key is not null && RequestValidator.IdProblem(key) is { } keyProblem)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid Idempotency-Key", $"Idempotency-Key {keyProblem}", "Idempotency-Key");
            return;
        }

        var body = await HttpIo.ReadAsync(context, ApiJsonContext.Default.NiwSubmitDto);
        if (body is null)
        {
            return;
        }

        var common = validator.Common(body.Model, body.HomeRegion, body.RegionPreference, body.PromptTokens, body.ExpectedOutputTokens);
        if (!common.Ok)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid job", $"{common.Field}: {common.Problem}", common.Field);
            return;
        }

        if (body.DeadlineSeconds is { } seconds && (double.IsNaN(seconds) || seconds < 60 || seconds > 7 * 24 * 3600))
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid job", "deadlineSeconds must be 60..604800", "deadlineSeconds");
            return;
        }

        var (model, preference, prompt, output) = common.Value;
        var spec = new NiwJobSpec(
            model.Name, [.. preference.Select(r => r.Name)], prompt, output,
            body.DeadlineSeconds is { } s ? TimeSpan.FromSeconds(s) : DefaultDeadline);
        var jobId = key is null ? "niw-" + Guid.NewGuid().ToString("N") : JobIdFor(key);

        // Journal first (intent), then the record: a restart finds every job that might exist.
        if (plane.Journal is { } journal)
        {
            await journal.AppendAsync(jobId, context.RequestAborted);
        }
        var view = await plane.Job(jobId).AcceptAsync(spec);
        if (view.Conflict)
        {
            await HttpIo.ProblemAsync(context, 409, "Idempotency-Key reused", $"job {jobId} was submitted with this key and a different body", "Idempotency-Key");
            return;
        }

        if (view.Created)
        {
            plane.Niw.EnqueueDispatch(jobId);
        }

        var dto = ToDto(view);
        context.Response.Headers.Location = dto.StatusUrl;
        await HttpIo.WriteAsync(context, 202, dto, ApiJsonContext.Default.NiwJobDto);
    }

    private static async Task GetAsync(HttpContext context, LiveControlPlane plane)
    {
        var id = context.Request.RouteValues["id"] as string;
        if (RequestValidator.IdProblem(id) is { } problem)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid job id", $"id {problem}", "id");
            return;
        }

        var view = await plane.Job(id!).GetAsync(0);
        if (view is null)
        {
            await HttpIo.ProblemAsync(context, 404, "No such job", $"job {id} does not exist", "id");
            return;
        }

        await HttpIo.WriteAsync(context, 200, ToDto(view), ApiJsonContext.Default.NiwJobDto);
    }

    private static NiwJobDto ToDto(NiwJobView v) =>
        new(v.JobId, v.Status, v.Reason, v.Region, v.Instance, string.Create(CultureInfo.InvariantCulture, $"/v1/niw/{v.JobId}"), v.AcceptedAt, v.UpdatedAt);
}
