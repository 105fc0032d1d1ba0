using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary>
/// Operator endpoints under <c>/v1/control</c>, guarded by header <c>X-Api-Key</c> (compared in constant time).
/// With no key configured they are disabled (403).
/// </summary>
public static class ControlEndpoints
{
    /// <summary>The header carrying the key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app, LiveControlPlane plane, string? apiKey)
    {
        var expected = apiKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        app.MapPost("/v1/control/drain/{**instance}", context => Guarded(context, expected, () => DrainAsync(context, plane)));
        app.MapPost("/v1/control/plan", context => Guarded(context, expected, () => PlanEndpoints.ForceAsync(context, plane)));
        app.MapPut("/v1/control/policy", context => Guarded(context, expected, () => PolicyAsync(context, plane)));
        VmEndpoints.Map(app, plane, (context, action) => Guarded(context, expected, action));
    }

    /// <summary>Whether <paramref name="presented"/> matches the configured key hash, in time independent of where they differ.</summary>
    public static bool KeyMatches(byte[] expectedHash, string presented) =>
        CryptographicOperations.FixedTimeEquals(expectedHash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    private static Task Guarded(HttpContext context, byte[]? expected, Func<Task> action)
    {
        if (expected is null)
        {
            return HttpIo.ProblemAsync(context, 403, "Control endpoints disabled",
                "no API key is configured; start the silo with --api-key (or SAGESERVE_APIKEY) to enable /v1/control", ApiKeyHeader);
        }

        string? presented = context.Request.Headers[ApiKeyHeader];
        if (string.IsNullOrEmpty(presented))
        {
            context.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
            return HttpIo.ProblemAsync(context, 401, "API key required", $"send the control key in the {ApiKeyHeader} header", ApiKeyHeader);
        }

        return KeyMatches(expected, presented)
            ? action()
            : HttpIo.ProblemAsync(context, 403, "Wrong API key", $"the {ApiKeyHeader} header does not match the configured key", ApiKeyHeader);
    }

    private static async Task DrainAsync(HttpContext context, LiveControlPlane plane)
    {
        var instance = context.Request.RouteValues["instance"] as string;
        instance = instance is null ? null : Uri.UnescapeDataString(instance);
        if (instance is null || !plane.HasInstance(instance))
        {
            await HttpIo.ProblemAsync(context, 404, "No such instance", $"'{instance}' is not an instance (region/model/index, URL-encoded)", "instance");
            return;
        }

        var changed = await plane.DrainAsync(instance);
        await HttpIo.WriteAsync(context, 202, new ControlResultDto("drain", instance, changed ? "draining" : "already draining",
            "takes no new requests, finishes what it holds, then its VM is donated; a replacement starts if the pool falls below its floor"), ApiJsonContext.Default.ControlResultDto);
    }

    private static async Task PolicyAsync(HttpContext context, LiveControlPlane plane)
    {
        var body = await HttpIo.ReadAsync(context, ApiJsonContext.Default.PolicyDto);
        if (body is null)
        {
            return;
        }

        if (body.Name is not { Length: > 0 and <= 64 } name || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            await HttpIo.ProblemAsync(context, 400, "Invalid policy", "name must be 1..64 characters of a-z, 0-9, '-'", "name");
            return;
        }

        plane.Policy = name;
        await HttpIo.WriteAsync(context, 200, new ControlResultDto("policy", name, "stored", "the name is stored and shown; routing still uses least-pending-tokens"), ApiJsonContext.Default.ControlResultDto);
    }
}
