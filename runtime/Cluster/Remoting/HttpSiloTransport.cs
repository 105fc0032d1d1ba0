using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;

namespace SageServe.Runtime.Cluster.Remoting;

/// <summary>
/// Silo-to-silo transport over cleartext HTTP/2 (prior knowledge): one multiplexed connection pool per target,
/// protobuf bodies to <c>POST /internal/v1/call</c> and <c>/internal/v1/ping</c> (see <see cref="ClusterEndpoints"/>).
/// </summary>
public sealed class HttpSiloTransport : ISiloTransport, IDisposable
{
    /// <summary>The media type of every body.</summary>
    public const string MediaType = "application/x-protobuf";

    /// <summary>The header that carries the cluster key on every silo-to-silo request.</summary>
    public const string ClusterKeyHeader = "X-SageServe-Cluster-Key";

    private static readonly MediaTypeHeaderValue s_mediaType = new(MediaType);
    private readonly HttpClient _http;
    private readonly string _sender;
    private readonly string? _clusterKey;

    /// <summary>Creates the transport.</summary>
    /// <param name="sender">This silo's address (sent in probes, for diagnostics).</param>
    /// <param name="clusterKey">The secret every silo of the cluster presents (see <see cref="ClusterEndpoints"/>); null sends none.</param>
    /// <param name="connectTimeout">How long a new connection may take; default 2 s.</param>
    public HttpSiloTransport(string sender, string? clusterKey = null, TimeSpan? connectTimeout = null)
    {
        _sender = sender;
        _clusterKey = clusterKey;
        _http = new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <inheritdoc />
    public async Task<byte[]> SendCallAsync(SiloAddress target, byte[] message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var request = Request(target, "/internal/v1/call", message);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError || e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            throw new SiloUnreachableException($"silo {target} is unreachable: {e.Message}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"silo {target} answered {(int)response.StatusCode} {response.ReasonPhrase} to a grain call", null, response.StatusCode);
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ProbeAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var ping = new PingMessage { TargetGeneration = target.Generation, Sender = _sender };
        using var request = Request(target, "/internal/v1/ping", ping.ToByteArray());
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        var pong = PongMessage.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return pong.IsTarget && pong.Active;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(SiloAddress target, string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{target.Endpoint}{path}"))
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = s_mediaType;
        if (_clusterKey is not null)
        {
            request.Headers.TryAddWithoutValidation(ClusterKeyHeader, _clusterKey);
        }

        return request;
    }
}
