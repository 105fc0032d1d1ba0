namespace SageServe.Runtime.Storage;

/// <summary>
/// A durable store of grain state blobs. One record per (state name, grain id); every write is conditional on an
/// ETag so two activations of one grain can never silently overwrite each other.
/// </summary>
/// <remarks>
/// Providers deal in bytes; serialization is the caller's business (the runtime's persistent-state wrapper).
/// Every implementation must pass the shared contract tests (<c>GrainStorageContractTests</c>).
/// Providers: <see cref="MemoryGrainStorage"/> (tests, single process), <see cref="FileGrainStorage"/> (one process
/// per root directory) and <see cref="Azure.AzureBlobGrainStorage"/> (conditions enforced by the service, safe across
/// silos). ETags are opaque: compare them only for equality, never parse or order them.
/// </remarks>
public interface IGrainStorage
{
    /// <summary>Reads the stored record, or <see langword="null"/> when none exists.</summary>
    ValueTask<StoredState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a record. <paramref name="expectedEtag"/> <see langword="null"/> means "create; must not exist";
    /// otherwise the stored record must carry exactly that ETag.
    /// </summary>
    /// <returns>The new ETag.</returns>
    /// <exception cref="InconsistentStateException">The stored ETag differs from <paramref name="expectedEtag"/>.</exception>
    ValueTask<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a record whose ETag is <paramref name="expectedEtag"/>; a missing record with a null ETag is a no-op.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs from <paramref name="expectedEtag"/>.</exception>
    ValueTask ClearAsync(string stateName, GrainId grainId, string? expectedEtag, CancellationToken cancellationToken = default);
}

/// <summary>A stored state record: its bytes and the ETag that guards the next write.</summary>
/// <param name="Data">The serialized state.</param>
/// <param name="Etag">An opaque version tag.</param>
public sealed record StoredState(ReadOnlyMemory<byte> Data, string Etag);
