using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Polly;
using Polly.Retry;

namespace SageServe.Runtime.Storage.Azure;

/// <summary>
/// A small Azure Blob REST client (Shared Key auth, block blobs, conditional writes, listings) over
/// <see cref="HttpClient"/>: just what grain storage needs, without the Azure SDK.
/// </summary>
/// <remarks>
/// Transient failures (5xx, 408, connection failures, attempt timeouts) are retried with bounded exponential backoff;
/// condition failures (412, 409) never are. A retried conditional write whose first attempt did reach the service
/// reports a condition failure although the write took effect; callers using ETags recover by re-reading.
/// </remarks>
public sealed class AzureBlobRestClient : IDisposable
{
    private readonly AzureStorageConnectionString _connection;
    private readonly AzureBlobRestClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Creates a client for <paramref name="connection"/>.</summary>
    /// <param name="connection">The account and endpoint.</param>
    /// <param name="options">Retry and timeout tuning; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for <c>x-ms-date</c> and retry delays; the system clock when <see langword="null"/>.</param>
    public AzureBlobRestClient(AzureStorageConnectionString connection, AzureBlobRestClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options ?? new AzureBlobRestClientOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        if (_options.MaxRetryAttempts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxRetryAttempts, "MaxRetryAttempts must be zero (no retries) or more.");
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { Timeout = _options.AttemptTimeout };
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider };
        if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,

                // Jitter draws on ambient randomness; determinism matters more than herd avoidance here.
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>The account name.</summary>
    public string AccountName => _connection.AccountName;

    /// <summary>Creates a client from a connection string (see <see cref="AzureStorageConnectionString.Parse"/>).</summary>
    public static AzureBlobRestClient FromConnectionString(string connectionString, AzureBlobRestClientOptions? options = null, TimeProvider? timeProvider = null) =>
        new(AzureStorageConnectionString.Parse(connectionString), options, timeProvider);

    /// <summary>Creates <paramref name="container"/>; succeeds if it already exists.</summary>
    public async Task CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken = default)
    {
        ValidateContainer(container);
        using var response = await SendAsync(HttpMethod.Put, container, null, [new("restype", "container")], null, null, cancellationToken).ConfigureAwait(false);
        var alreadyExists = response.StatusCode == HttpStatusCode.Conflict && BlobResponseReader.GetErrorCode(response) == "ContainerAlreadyExists";
        if (!alreadyExists)
        {
            await BlobResponseReader.EnsureSuccessAsync(response, container, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes <paramref name="container"/> and every blob in it; returns false if it did not exist.</summary>
    public async Task<bool> DeleteContainerIfExistsAsync(string container, CancellationToken cancellationToken = default)
    {
        ValidateContainer(container);
        using var response = await SendAsync(HttpMethod.Delete, container, null, [new("restype", "container")], null, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await BlobResponseReader.EnsureSuccessAsync(response, container, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Uploads <paramref name="content"/> as a block blob under <paramref name="condition"/>.</summary>
    /// <returns>The blob's new ETag.</returns>
    /// <exception cref="InconsistentStateException">The condition failed (412, or 409 BlobAlreadyExists).</exception>
    /// <exception cref="AzureBlobRequestException">Any other failure, after retries.</exception>
    public async Task<string> PutBlockBlobAsync(string container, string blobName, ReadOnlyMemory<byte> content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        ValidateContainer(container);
        ValidateBlobName(blobName);
        using var response = await SendAsync(
            HttpMethod.Put,
            container,
            blobName,
            [],
            request =>
            {
                request.Headers.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob");
                AddCondition(request, condition);
            },
            content,
            cancellationToken).ConfigureAwait(false);
        await BlobResponseReader.ThrowIfConditionFailedAsync(response, container, blobName, condition, cancellationToken).ConfigureAwait(false);
        await BlobResponseReader.EnsureSuccessAsync(response, container, blobName, cancellationToken).ConfigureAwait(false);
        return BlobResponseReader.GetETag(response, container, blobName);
    }

    /// <summary>Downloads a blob, or returns <see langword="null"/> when it does not exist.</summary>
    public async Task<BlobDownload?> GetBlobAsync(string container, string blobName, CancellationToken cancellationToken = default)
    {
        ValidateContainer(container);
        ValidateBlobName(blobName);
        using var response = await SendAsync(HttpMethod.Get, container, blobName, [], null, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await BlobResponseReader.EnsureSuccessAsync(response, container, blobName, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new BlobDownload(bytes, BlobResponseReader.GetETag(response, container, blobName));
    }

    /// <summary>Reads a blob's ETag without its content, or returns <see langword="null"/> when it does not exist.</summary>
    public async Task<string?> GetBlobETagAsync(string container, string blobName, CancellationToken cancellationToken = default)
    {
        ValidateContainer(container);
        ValidateBlobName(blobName);
        using var response = await SendAsync(HttpMethod.Head, container, blobName, [], null, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await BlobResponseReader.EnsureSuccessAsync(response, container, blobName, cancellationToken).ConfigureAwait(false);
        return BlobResponseReader.GetETag(response, container, blobName);
    }

    /// <summary>Deletes a blob under <paramref name="condition"/>; returns false when it did not exist.</summary>
    /// <exception cref="InconsistentStateException">The condition failed (412).</exception>
    public async Task<bool> DeleteBlobAsync(string container, string blobName, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        ValidateContainer(container);
        ValidateBlobName(blobName);
        using var response = await SendAsync(HttpMethod.Delete, container, blobName, [], request => AddCondition(request, condition), null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await BlobResponseReader.ThrowIfConditionFailedAsync(response, container, blobName, condition, cancellationToken).ConfigureAwait(false);
        await BlobResponseReader.EnsureSuccessAsync(response, container, blobName, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Lists one page of blobs whose names start with <paramref name="prefix"/>.</summary>
    /// <param name="container">The container.</param>
    /// <param name="prefix">The name prefix, or <see langword="null"/> for all blobs.</param>
    /// <param name="marker">The previous page's <see cref="BlobListPage.NextMarker"/>, or <see langword="null"/> to start.</param>
    /// <param name="maxResults">The page size (the service caps it at 5000), or <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<BlobListPage> ListBlobsPageAsync(string container, string? prefix, string? marker, int? maxResults, CancellationToken cancellationToken = default)
    {
        ValidateContainer(container);
        if (maxResults is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, "The page size must be positive.");
        }

        List<KeyValuePair<string, string>> query = [new("restype", "container"), new("comp", "list")];
        if (!string.IsNullOrEmpty(prefix))
        {
            query.Add(new("prefix", prefix));
        }

        if (!string.IsNullOrEmpty(marker))
        {
            query.Add(new("marker", marker));
        }

        if (maxResults is { } max)
        {
            query.Add(new("maxresults", max.ToString(CultureInfo.InvariantCulture)));
        }

        using var response = await SendAsync(HttpMethod.Get, container, null, query, null, null, cancellationToken).ConfigureAwait(false);
        await BlobResponseReader.EnsureSuccessAsync(response, container, null, cancellationToken).ConfigureAwait(false);
        var xml = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return BlobResponseReader.ParseListing(xml, container);
    }

    /// <summary>Lists every blob whose name starts with <paramref name="prefix"/>, following continuation markers.</summary>
    public async IAsyncEnumerable<BlobListItem> ListBlobsAsync(string container, string? prefix, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var page = await ListBlobsPageAsync(container, prefix, marker, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            marker = page.NextMarker;
        }
        while (marker is not null);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome switch
    {
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        { Exception: HttpRequestException } => true,

        // HttpClient reports its own attempt timeout as a cancellation the caller did not ask for.
        { Exception: OperationCanceledException } => !callerToken.IsCancellationRequested,
        _ => false,
    };

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string container,
        string? blobName,
        IReadOnlyList<KeyValuePair<string, string>> query,
        Action<HttpRequestMessage>? configure,
        ReadOnlyMemory<byte>? content,
        CancellationToken cancellationToken)
    {
        var uri = BuildUri(container, blobName, query);
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(method, uri);
                    if (content is { } body)
                    {
                        request.Content = new ReadOnlyMemoryContent(body);
                        request.Content.Headers.ContentType = new("application/octet-stream");
                    }
                    else if (method == HttpMethod.Put)
                    {
                        request.Content = new ByteArrayContent([]);
                    }

                    request.Headers.TryAddWithoutValidation("x-ms-date", _timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
                    request.Headers.TryAddWithoutValidation("x-ms-version", _options.ApiVersion);
                    configure?.Invoke(request);
                    SharedKeySigner.Sign(request, _connection.AccountName, _connection.AccountKey, query);
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new AzureBlobRequestException(
                $"{method} {BlobResponseReader.Describe(container, blobName)} at {_connection.BlobEndpoint} failed after {_options.MaxRetryAttempts + 1} attempts: {ex.Message}",
                null,
                null,
                container,
                blobName,
                ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AzureBlobRequestException(
                $"{method} {BlobResponseReader.Describe(container, blobName)} at {_connection.BlobEndpoint} timed out ({_options.AttemptTimeout} per attempt, {_options.MaxRetryAttempts + 1} attempts).",
                null,
                null,
                container,
                blobName,
                ex);
        }
    }

    private Uri BuildUri(string container, string? blobName, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var builder = new StringBuilder(_connection.BlobEndpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        builder.Append('/').Append(container);
        if (blobName is not null)
        {
            builder.Append('/').AppendJoin('/', blobName.Split('/').Select(Uri.EscapeDataString));
        }

        for (var i = 0; i < query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&').Append(query[i].Key).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        // The path is already escaped exactly as signed; the URI parser must not re-canonicalise it.
        return new Uri(builder.ToString(), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
    }

    private static void AddCondition(HttpRequestMessage request, BlobCondition condition)
    {
        if (condition.IfNotExists)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        }
        else if (condition.IfMatch is { } etag)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="container"/> is a valid container name.</summary>
    internal static void ValidateContainer(string container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var valid = container.Length is >= 3 and <= 63
            && container.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && container[0] != '-' && container[^1] != '-'
            && !container.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"Container name '{container}' is invalid: use 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
                nameof(container));
        }
    }

    private static void ValidateBlobName(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        if (blobName.Length is 0 or > 1024)
        {
            throw new ArgumentException($"Blob name must be 1-1024 characters (was {blobName.Length}).", nameof(blobName));
        }

        if (blobName.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException($"Blob name '{blobName}' has an empty, '.' or '..' path segment.", nameof(blobName));
        }
    }
}
