using System.Text.Json;
using SageServe.Runtime.Storage;
using SageServe.Runtime.Storage.Azure;

namespace SageServe.Runtime.Cluster;

/// <summary>
/// An <see cref="IMembershipTable"/> kept as one JSON blob (version + rows) in Azure Blob Storage; every write is an
/// <c>If-Match</c> (or <c>If-None-Match: *</c> for the first) conditional put.
/// </summary>
/// <remarks>
/// <para>
/// The blob ETag guards the bytes; the table version inside guards the meaning. A versioned write whose put loses
/// the ETag race re-reads: if the version is unchanged the race was only with a heartbeat, so it retries; if the
/// version moved on, it returns <see langword="false"/> and the caller decides again from a fresh read.
/// </para>
/// <para>
/// Heartbeats share the blob (read-modify-write under <c>If-Match</c>, retried on conflict). Trade-off: one blob
/// keeps reads to one GET and makes the whole table atomic, but every heartbeat rewrites the whole table and all
/// silos contend on one ETag, so with N silos a period sees N writes and up to N-1 retries each. That is cheap for
/// the tens of silos a SageServe cluster has (a row is ~300 bytes); past a few hundred, heartbeats belong in
/// per-silo blobs.
/// </para>
/// </remarks>
public sealed class AzureBlobMembershipTable : IMembershipTable
{
    /// <summary>How many ETag races a single operation retries before giving up loudly.</summary>
    public const int MaxETagRetries = 32;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private readonly AzureBlobRestClient _client;
    private readonly string _container;
    private readonly string _blobName;
    private bool _containerReady;

    /// <summary>Creates a table stored at <paramref name="container"/>/<paramref name="blobName"/>.</summary>
    /// <param name="client">The blob client (not owned: the caller disposes it).</param>
    /// <param name="container">The container; created on first use.</param>
    /// <param name="blobName">The blob holding the table, e.g. <c>membership/&lt;cluster-id&gt;.json</c>.</param>
    public AzureBlobMembershipTable(AzureBlobRestClient client, string container, string blobName)
    {
        ArgumentNullException.ThrowIfNull(client);
        AzureBlobRestClient.ValidateContainer(container);
        ArgumentException.ThrowIfNullOrWhiteSpace(blobName);
        _client = client;
        _container = container;
        _blobName = blobName;
    }

    /// <inheritdoc />
    public async Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).Snapshot;

    /// <inheritdoc />
    public Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        TryChangeAsync(expectedVersion, entries => MembershipRules.Insert(entries, entry), cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        TryChangeAsync(expectedVersion, entries => MembershipRules.Update(entries, entry), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxETagRetries; attempt++)
        {
            var (snapshot, etag) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var entries = MembershipRules.SetIAmAlive(snapshot.Entries, address, iAmAliveTime);
            if (entries is null || etag is null)
            {
                return false;
            }

            if (await TryPutAsync(snapshot with { Entries = entries }, etag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        throw Contention("heartbeat of " + address);
    }

    /// <inheritdoc />
    public async Task<int> DeleteDeadEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxETagRetries; attempt++)
        {
            var (snapshot, etag) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var entries = MembershipRules.WithoutDeadBefore(snapshot.Entries, olderThan);
            var deleted = snapshot.Entries.Count - entries.Count;
            if (deleted == 0 || etag is null)
            {
                return 0;
            }

            if (await TryPutAsync(new MembershipSnapshot(snapshot.Version + 1, entries), etag, cancellationToken).ConfigureAwait(false))
            {
                return deleted;
            }
        }

        throw Contention("cleanup of dead entries");
    }

    private async Task<bool> TryChangeAsync(long expectedVersion, Func<IReadOnlyList<MembershipEntry>, List<MembershipEntry>?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxETagRetries; attempt++)
        {
            var (snapshot, etag) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (snapshot.Version != expectedVersion)
            {
                return false;
            }

            var entries = change(snapshot.Entries);
            if (entries is null)
            {
                return false;
            }

            if (await TryPutAsync(new MembershipSnapshot(expectedVersion + 1, entries), etag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            // Lost the ETag race: to a heartbeat (version unchanged, try again) or a real change (next read says so).
        }

        throw Contention($"write at version {expectedVersion}");
    }

    private async Task<(MembershipSnapshot Snapshot, string? ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = await _client.GetBlobAsync(_container, _blobName, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return (MembershipSnapshot.Empty, null);
        }

        MembershipSnapshot? snapshot;
        try
        {
            snapshot = JsonSerializer.Deserialize<MembershipSnapshot>(blob.Content, s_json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Membership table {_container}/{_blobName} is not valid JSON ({ex.Path}, line {ex.LineNumber}): {ex.Message}", ex);
        }

        if (snapshot?.Entries is null || snapshot.Entries.Any(e => e?.Address is null || e.Suspicions is null))
        {
            throw new InvalidDataException($"Membership table {_container}/{_blobName} lacks 'entries', or a row lacks 'address' or 'suspicions'.");
        }

        return (snapshot, blob.ETag);
    }

    /// <returns><see langword="false"/> when the blob changed (or appeared) since <paramref name="etag"/> was read.</returns>
    private async Task<bool> TryPutAsync(MembershipSnapshot snapshot, string? etag, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot, s_json);
        var condition = etag is null ? BlobCondition.NotExists : BlobCondition.Matches(etag);
        try
        {
            await _client.PutBlockBlobAsync(_container, _blobName, bytes, condition, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerReady)
        {
            await _client.CreateContainerIfNotExistsAsync(_container, cancellationToken).ConfigureAwait(false);
            _containerReady = true;
        }
    }

    private MembershipTableContentionException Contention(string operation) => new(
        $"Membership table {_container}/{_blobName}: {operation} lost the ETag race {MaxETagRetries} times in a row; too many writers for one blob.");
}
