namespace SageServe.Runtime.Storage.Azure;

/// <summary>A downloaded blob.</summary>
/// <param name="Content">The blob's bytes.</param>
/// <param name="ETag">The blob's ETag as the service sent it (quotes included; opaque).</param>
public sealed record BlobDownload(byte[] Content, string ETag);

/// <summary>One entry of a blob listing.</summary>
/// <param name="Name">The blob name.</param>
/// <param name="ETag">The blob's ETag.</param>
/// <param name="ContentLength">The blob's size in bytes.</param>
public sealed record BlobListItem(string Name, string ETag, long ContentLength);

/// <summary>One page of a blob listing.</summary>
/// <param name="Items">The blobs on this page, in name order.</param>
/// <param name="NextMarker">The continuation marker for the next page, or <see langword="null"/> on the last page.</param>
public sealed record BlobListPage(IReadOnlyList<BlobListItem> Items, string? NextMarker);

/// <summary>A precondition on a blob write or delete.</summary>
public readonly record struct BlobCondition
{
    private BlobCondition(string? ifMatch, bool ifNotExists)
    {
        IfMatch = ifMatch;
        IfNotExists = ifNotExists;
    }

    /// <summary>No precondition: unconditionally write or delete.</summary>
    public static BlobCondition None => default;

    /// <summary>Succeed only when the blob does not exist (<c>If-None-Match: *</c>).</summary>
    public static BlobCondition NotExists => new(null, ifNotExists: true);

    /// <summary>The ETag the blob must carry (<c>If-Match</c>), or <see langword="null"/>.</summary>
    public string? IfMatch { get; }

    /// <summary>Whether the blob must not exist.</summary>
    public bool IfNotExists { get; }

    /// <summary>Succeed only when the blob carries <paramref name="etag"/> (<c>If-Match</c>).</summary>
    public static BlobCondition Matches(string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return new(etag, ifNotExists: false);
    }
}

/// <summary>Tuning for <see cref="AzureBlobRestClient"/>.</summary>
public sealed record AzureBlobRestClientOptions
{
    /// <summary>The REST API version sent as <c>x-ms-version</c>.</summary>
    public string ApiVersion { get; init; } = "2021-08-06";

    /// <summary>Retries after the first attempt for transient failures (5xx, 408, connection failure, timeout).</summary>
    public int MaxRetryAttempts { get; init; } = 4;

    /// <summary>The first retry delay; each later one doubles, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The time one attempt may take before it counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a TCP connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
