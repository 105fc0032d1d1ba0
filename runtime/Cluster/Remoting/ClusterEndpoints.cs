using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SageServe.Runtime.Cluster.Remoting;

/// <summary>The silo-to-silo endpoints a silo serves on its HTTP/2 cluster port.</summary>
public static class ClusterEndpoints
{
    /// <summary>Largest accepted silo-to-silo message.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>Maps <c>POST /internal/v1/call</c> and <c>POST /internal/v1/ping</c>.</summary>
    public static void MapSiloTransport(this IEndpointRouteBuilder app, ClusterRouting routing, string? clusterKey = null)
    {
        ArgumentNullException.ThrowIfNull(routing);
        MapSiloTransport(app, () => routing, clusterKey);
    }

    /// <summary>
    /// The cluster key silos derive from what they all hold (the cluster's storage connection string, which includes
    /// the account key, and the cluster id): a process that cannot read the membership table cannot call grains either.
    /// </summary>
    public static string DeriveClusterKey(string clusterId, string storageConnectionString) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"sageserve-cluster-key\n{clusterId}\n{storageConnectionString}")));

    /// <summary>
    /// Maps the endpoints for a routing that exists only once the listener's port is known (the silo address holds
    /// the port); until <paramref name="routing"/> returns one, both answer 503. With a <paramref name="clusterKey"/>,
    /// a request without the same key in <see cref="HttpSiloTransport.ClusterKeyHeader"/> gets 401 and does nothing.
    /// </summary>
    public static void MapSiloTransport(this IEndpointRouteBuilder app, Func<ClusterRouting?> routing, string? clusterKey = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(routing);
        var expected = clusterKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(clusterKey));
        app.MapPost("/internal/v1/call", (RequestDelegate)(context => ServeAsync(context, expected, routing, HandleCallAsync)));
        app.MapPost("/internal/v1/ping", (RequestDelegate)(context => ServeAsync(context, expected, routing, HandlePingAsync)));
    }

    private static async Task<byte[]?> HandleCallAsync(ClusterRouting routing, ReadOnlyMemory<byte> body) => await routing.HandleCallAsync(body).ConfigureAwait(false);

    private static Task<byte[]?> HandlePingAsync(ClusterRouting routing, ReadOnlyMemory<byte> body)
    {
        try
        {
            return Task.FromResult<byte[]?>(routing.HandlePing(body.Span));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return Task.FromResult<byte[]?>(null); // answered 400
        }
    }

    /// <summary>Key check, readiness, body limits, then <paramref name="handle"/>; a null reply answers 400.</summary>
    private static async Task ServeAsync(HttpContext context, byte[]? expected, Func<ClusterRouting?> routing, Func<ClusterRouting, ReadOnlyMemory<byte>, Task<byte[]?>> handle)
    {
        if (!Authorised(context, expected))
        {
            return;
        }

        if (routing() is not { } current)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (await ReadBodyAsync(context).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        if (await handle(current, body).ConfigureAwait(false) is not { } reply)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await WriteAsync(context, reply).ConfigureAwait(false);
    }

    private static bool Authorised(HttpContext context, byte[]? expected)
    {
        if (expected is null)
        {
            return true;
        }

        string? presented = context.Request.Headers[HttpSiloTransport.ClusterKeyHeader];
        if (presented is not null && CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(presented))))
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return false;
    }

    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is > MaxMessageBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        using var buffer = new MemoryStream(context.Request.ContentLength is { } n ? (int)n : 256);
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxMessageBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static Task WriteAsync(HttpContext context, byte[] reply)
    {
        context.Response.ContentType = HttpSiloTransport.MediaType;
        context.Response.ContentLength = reply.Length;
        return context.Response.Body.WriteAsync(reply, context.RequestAborted).AsTask();
    }
}
