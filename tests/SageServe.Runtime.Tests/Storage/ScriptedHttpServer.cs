using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SageServe.Runtime.Tests.Storage;

/// <summary>
/// A loopback HTTP server that answers with a fixed script of statuses, for fault paths Azurite cannot be made to
/// produce on demand (5xx, 408). It records each request's method, path and headers.
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<ScriptedResponse> _script;
    private readonly ScriptedResponse _fallback;
    private readonly Task _loop;

    public ScriptedHttpServer(IEnumerable<ScriptedResponse> script, ScriptedResponse fallback)
    {
        _script = new Queue<ScriptedResponse>(script);
        _fallback = fallback;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/devstoreaccount1");

    public ConcurrentQueue<(string Method, string Path, WebHeaderCollection Headers)> Requests { get; } = new();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var headers = new WebHeaderCollection { context.Request.Headers };
            Requests.Enqueue((context.Request.HttpMethod, context.Request.RawUrl ?? string.Empty, headers));
            await context.Request.InputStream.CopyToAsync(Stream.Null);
            ScriptedResponse response;
            lock (_script)
            {
                response = _script.Count > 0 ? _script.Dequeue() : _fallback;
            }

            context.Response.StatusCode = response.Status;
            if (response.ErrorCode is not null)
            {
                context.Response.AddHeader("x-ms-error-code", response.ErrorCode);
            }

            if (response.ETag is not null)
            {
                context.Response.AddHeader("ETag", response.ETag);
            }

            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }
}

internal sealed record ScriptedResponse(int Status, string? ErrorCode = null, string? ETag = null);
