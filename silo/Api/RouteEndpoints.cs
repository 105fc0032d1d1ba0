using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary><c>POST /v1/route</c> and <c>POST /v1/completions</c>.</summary>
public static class RouteEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app, LiveControlPlane plane)
    {
        var validator = new RequestValidator(plane);
        app.MapPost("/v1/route", context => RouteAsync(context, plane, validator));
        app.MapPost("/v1/completions", context => CompleteAsync(context, plane));
    }

    private static async Task RouteAsync(HttpContext context, LiveControlPlane plane, RequestValidator validator)
    {
        var body = await HttpIo.ReadAsync(context, ApiJsonContext.Default.RouteRequestDto);
        if (body is null)
        {
            return;
        }

        if (RequestValidator.IdProblem(body.RequestId) is { } idProblem)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid request", $"requestId {idProblem}", "requestId");
            return;
        }

        var tier = RequestValidator.ParseTier(body.Tier);
        if (!tier.Ok)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid request", $"{tier.Field}: {tier.Problem}", tier.Field);
            return;
        }

        var common = validator.Common(body.Model, body.HomeRegion, body.RegionPreference, body.PromptTokens, body.ExpectedOutputTokens);
        if (!common.Ok)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid request", $"{common.Field}: {common.Problem}", common.Field);
            return;
        }

        var (model, preference, prompt, output) = common.Value;
        var requestId = body.RequestId ?? "r-" + plane.NextRequestId().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await plane.RouteAsync(requestId, model, tier.Value, preference, prompt, output, callerSuppliedId: body.RequestId is not null);
        await HttpIo.WriteAsync(context, 200, result, ApiJsonContext.Default.RouteResult);
    }

    private static async Task CompleteAsync(HttpContext context, LiveControlPlane plane)
    {
        var body = await HttpIo.ReadAsync(context, ApiJsonContext.Default.CompletionRequestDto);
        if (body is null)
        {
            return;
        }

        if (body.RequestId is null || RequestValidator.IdProblem(body.RequestId) is not null)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid completion", $"requestId {RequestValidator.IdProblem(body.RequestId) ?? "is required"}", "requestId");
            return;
        }

        if (body.Instance is null || !plane.HasInstance(body.Instance))
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid completion", $"instance '{body.Instance}' is not an instance of this cluster (region/model/index)", "instance");
            return;
        }

        if (body.OutputTokens is < 0 or > RequestValidator.MaxTokens)
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid completion", $"outputTokens must be 0..{RequestValidator.MaxTokens:N0}", "outputTokens");
            return;
        }

        var result = await plane.ReportCompletionAsync(body.RequestId, body.Instance);
        await HttpIo.WriteAsync(context, 200, result, ApiJsonContext.Default.CompletionResult);
    }
}
