using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SageServe.Client;

/// <summary>
/// Calls SageServe silos over HTTP: route a request, report a completion, submit and poll non-interactive jobs.
/// Each logical call has a deadline; it fails over to the next silo on connection failure, timeout or a retryable 5xx,
/// backs off exponentially when it comes back to a silo already tried, never retries a 4xx, and sends the same
/// <c>Idempotency-Key</c> on every attempt.
/// </summary>
public sealed class SageServeClient
{
    /// <summary>The header carrying the per-operation idempotency key.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private readonly SageServeClientOptions _options;
    private readonly Uri[] _endpoints;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Uri[]> _uris = new(StringComparer.Ordinal);
    private int _preferred;

    /// <summary>Creates a client over <paramref name="http"/> (its own timeout is not used; deadlines come from the options).</summary>
    public SageServeClient(HttpClient http, SageServeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
        _endpoints = [.. options.Endpoints];
    }

    /// <summary>Asks a silo where <paramref name="request"/> goes.</summary>
    /// <exception cref="SageServeApiException">Invalid request (e.g. unknown model): the problem names the field.</exception>
    /// <exception cref="SageServeUnavailableException">No silo answered in time.</exception>
    public Task<RouteResponse> RouteAsync(RouteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.RequestId is null ? request with { RequestId = NewKey() } : request;
        return SendAsync(HttpMethod.Post, "v1/route", request, ClientJsonContext.Default.RouteRequest, ClientJsonContext.Default.RouteResponse, request.RequestId!, cancellationToken);
    }

    /// <summary>Reports that a request the caller served has finished (idempotent by request id).</summary>
    public Task<CompletionAck> ReportCompletionAsync(CompletionReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return SendAsync(HttpMethod.Post, "v1/completions", report, ClientJsonContext.Default.CompletionReport, ClientJsonContext.Default.CompletionAck, "completion-" + report.RequestId, cancellationToken);
    }

    /// <summary>Submits a non-interactive job; it is durable when this returns.</summary>
    /// <param name="job">The job.</param>
    /// <param name="idempotencyKey">Names the operation; resubmitting with the same key returns the same job. A fresh key when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<NiwJob> SubmitNiwJobAsync(NiwJobRequest job, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return SendAsync(HttpMethod.Post, "v1/niw", job, ClientJsonContext.Default.NiwJobRequest, ClientJsonContext.Default.NiwJob, idempotencyKey ?? NewKey(), cancellationToken);
    }

    /// <summary>The state of job <paramref name="jobId"/>.</summary>
    public Task<NiwJob> GetNiwJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return SendAsync<object, NiwJob>(HttpMethod.Get, "v1/niw/" + Uri.EscapeDataString(jobId), null, null, ClientJsonContext.Default.NiwJob, null, cancellationToken);
    }

    private Uri[] UrisFor(string path) =>
        _uris.Count < 1024 ? _uris.GetOrAdd(path, static (p, endpoints) => [.. endpoints.Select(e => new Uri(e, p))], _endpoints)
        : [.. _endpoints.Select(e => new Uri(e, path))];

    private static string NewKey() => Guid.NewGuid().ToString("N");

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            or HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? bodyType, JsonTypeInfo<TResponse> responseType,
        string? idempotencyKey, CancellationToken cancellationToken)
        where TRequest : class
    {
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, bodyType!);
        // Timers on the options' clock, so a test can drive deadlines and backoff with a fake TimeProvider.
        using var deadlineTimer = new CancellationTokenSource(_options.Deadline, _options.TimeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineTimer.Token);
        var start = Volatile.Read(ref _preferred);
        Exception? last = null;
        for (var attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            var index = (start + attempt) % _endpoints.Length;
            if (attempt >= _endpoints.Length)
            {
                // Every silo failed once already in this call: wait before coming back to one.
                var round = (attempt / _endpoints.Length) - 1;
                var backoff = TimeSpan.FromTicks(Math.Min(_options.MaxBackoff.Ticks, _options.InitialBackoff.Ticks << Math.Min(round, 20)));
                try
                {
                    await Task.Delay(backoff, _options.TimeProvider, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            var endpoint = _endpoints[index];
            using var attemptTimer = new CancellationTokenSource(_options.AttemptTimeout, _options.TimeProvider);
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, attemptTimer.Token);
            using var message = new HttpRequestMessage(method, UrisFor(path)[index])
            {
                Version = _options.HttpVersion,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            if (payload is not null)
            {
                message.Content = new ByteArrayContent(payload);
                message.Content.Headers.ContentType = s_json;
            }

            if (idempotencyKey is not null)
            {
                message.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
            }

            try
            {
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var result = await response.Content.ReadFromJsonAsync(responseType, attemptTimeout.Token).ConfigureAwait(false)
                        ?? throw new SageServeApiException(response.StatusCode, null, endpoint.ToString());
                    Volatile.Write(ref _preferred, index);
                    return result;
                }

                var problem = await ReadProblemAsync(response, attemptTimeout.Token).ConfigureAwait(false);
                var error = new SageServeApiException(response.StatusCode, problem, endpoint.ToString());
                if (!IsRetryable(response.StatusCode))
                {
                    throw error;
                }

                last = error;
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException or IOException || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.NameResolutionError)
            {
                last = e;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = new TimeoutException($"{endpoint} did not answer within {(deadline.IsCancellationRequested ? _options.Deadline : _options.AttemptTimeout)}.", e);
                if (deadline.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        throw new SageServeUnavailableException(
            $"{method} /{path}: no silo answered within {_options.Deadline} and {_options.MaxAttempts} attempts ({string.Join(", ", _endpoints.Select(e => e.ToString()))}); last error: {last?.Message}", last);
    }

    private static async Task<Problem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.Problem, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
