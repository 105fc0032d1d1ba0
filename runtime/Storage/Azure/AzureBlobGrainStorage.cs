namespace SageServe.Runtime.Storage.Azure;

/// <summary>
/// An <see cref="IGrainStorage"/> over Azure Blob Storage: one block blob per grain state, named
/// <c>{state}/{grain type}/{grain key}</c> (each segment escaped by <see cref="StorageNameEscaper"/>) in one container.
/// </summary>
/// <remarks>
/// The compare-and-swap is done by the service (<c>If-None-Match: *</c> to create, <c>If-Match</c> to update or
/// delete), so it holds across processes and machines. ETags are the service's, passed through unchanged.
/// The container is created on first use.
/// </remarks>
public sealed class AzureBlobGrainStorage : IGrainStorage
{
    private readonly AzureBlobRestClient _client;
    private readonly string _container;
    private readonly Lock _initLock = new();
    private Task? _containerReady;

    /// <summary>Creates the store. The caller keeps ownership of <paramref name="client"/>.</summary>
    /// <param name="client">The blob client.</param>
    /// <param name="containerName">The container that holds every grain state blob.</param>
    public AzureBlobGrainStorage(AzureBlobRestClient client, string containerName = "grainstate")
    {
        ArgumentNullException.ThrowIfNull(client);
        AzureBlobRestClient.ValidateContainer(containerName);
        _client = client;
        _container = containerName;
    }

    /// <summary>The container that holds the state blobs.</summary>
    public string ContainerName => _container;

    /// <summary>The blob name for one record.</summary>
    public static string GetBlobName(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainId.Type);
        ArgumentNullException.ThrowIfNull(grainId.Key);
        return $"{StorageNameEscaper.EscapeSegment(stateName)}/{StorageNameEscaper.EscapeSegment(grainId.Type)}/{StorageNameEscaper.EscapeSegment(grainId.Key)}";
    }

    /// <inheritdoc />
    public async ValueTask<StoredState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        var blob = GetBlobName(stateName, grainId);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var download = await _client.GetBlobAsync(_container, blob, cancellationToken).ConfigureAwait(false);
        return download is null ? null : new StoredState(download.Content, download.ETag);
    }

    /// <inheritdoc />
    public async ValueTask<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var blob = GetBlobName(stateName, grainId);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var condition = expectedEtag is null ? BlobCondition.NotExists : BlobCondition.Matches(expectedEtag);
        return await _client.PutBlockBlobAsync(_container, blob, data, condition, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ClearAsync(string stateName, GrainId grainId, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var blob = GetBlobName(stateName, grainId);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        if (expectedEtag is null)
        {
            // "Delete what does not exist" has nothing to delete; it only fails if a record is there.
            var stored = await _client.GetBlobETagAsync(_container, blob, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                throw new InconsistentStateException(
                    $"State '{stateName}' of grain {grainId} (blob '{_container}/{blob}'): stored ETag is '{stored}' but the writer expected none.",
                    stored,
                    null);
            }

            return;
        }

        var deleted = await _client.DeleteBlobAsync(_container, blob, BlobCondition.Matches(expectedEtag), cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of grain {grainId} (blob '{_container}/{blob}'): no record stored but the writer expected ETag '{expectedEtag}'.",
                null,
                expectedEtag);
        }
    }

    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        lock (_initLock)
        {
            // A failed attempt is forgotten so the next call tries again.
            if (_containerReady is null || _containerReady.IsFaulted || _containerReady.IsCanceled)
            {
                _containerReady = _client.CreateContainerIfNotExistsAsync(_container, cancellationToken);
            }

            return _containerReady;
        }
    }
}
