using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SageServe.Client.Tests;

/// <summary>A real Kestrel endpoint on loopback whose answers a test scripts, recording what it received.</summary>
internal sealed class ScriptedSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedSilo(WebApplication app)
    {
        _app = app;
    }

    public sealed record Received(string Method, string Path, string? IdempotencyKey, string Body);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri Address { get; private set; } = null!;

    /// <summary>Starts a server whose n-th request (0-based) is answered by <paramref name="answer"/>.</summary>
    public static async Task<ScriptedSilo> StartAsync(Func<int, HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var silo = new ScriptedSilo(app);
        var count = -1;
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            silo.Requests.Enqueue(new Received(context.Request.Method, context.Request.Path, context.Request.Headers["Idempotency-Key"], body));
            await answer(Interlocked.Increment(ref count), context);
        });
        await app.StartAsync();
        silo.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return silo;
    }

    public static Task Json(HttpContext context, int status, string json, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(json);
    }

    public const string RouteOk = """{"requestId":"r","outcome":"routed","region":"westus","instance":"westus/A/0","workerEndpoint":"sim://westus/A/0"}""";

    public const string NiwOk = """{"jobId":"niw-1","status":"queued","statusUrl":"/v1/niw/niw-1","acceptedAt":"2026-01-01T00:00:00+00:00","updatedAt":"2026-01-01T00:00:00+00:00"}""";

    /// <summary>An address where nothing listens (a port just released).</summary>
    public static Uri DeadAddress()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
