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
    public static void MapSiloTransport(this IEndpointRouteBuilder app, ClusterRouting routing)
    {
        ArgumentNullException.ThrowIfNull(routing);
        MapSiloTransport(app, () => routing);
    }

    /// <summary>
    /// Maps the endpoints for a routing that exists only once the listener's port is known (the silo address holds
    /// the port); until <paramref name="routing"/> returns one, both answer 503.
    /// </summary>
    public static void MapSiloTransport(this IEndpointRouteBuilder app, Func<ClusterRouting?> routing)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(routing);
        app.MapPost("/internal/v1/call", async context =>
        {
            if (routing() is not { } current)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            if (await ReadBodyAsync(context).ConfigureAwait(false) is not { } body)
            {
                return;
            }

            var reply = await current.HandleCallAsync(body).ConfigureAwait(false);
            await WriteAsync(context, reply).ConfigureAwait(false);
        });
        app.MapPost("/internal/v1/ping", async context =>
        {
            if (routing() is not { } current)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            if (await ReadBodyAsync(context).ConfigureAwait(false) is not { } body)
            {
                return;
            }

            byte[] pong;
            try
            {
                pong = current.HandlePing(body.Span);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await WriteAsync(context, pong).ConfigureAwait(false);
        });
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
