namespace SageServe.Runtime.Storage;

/// <summary>A grain's durable state: read before activation, written explicitly, guarded by an ETag.</summary>
/// <typeparam name="TState">A JSON-serialisable class with a parameterless constructor.</typeparam>
public interface IPersistentState<TState>
    where TState : class, new()
{
    /// <summary>The in-memory copy. Changes are durable only after <see cref="WriteStateAsync"/>.</summary>
    TState State { get; set; }

    /// <summary>The ETag of the stored copy this activation last saw (null when none exists).</summary>
    string? Etag { get; }

    /// <summary>Whether a stored record exists.</summary>
    bool RecordExists { get; }

    /// <summary>Re-reads the stored copy (a new <typeparamref name="TState"/> when none exists).</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <see cref="State"/>, conditional on <see cref="Etag"/>.</summary>
    /// <exception cref="InconsistentStateException">Another writer got there first; the runtime deactivates this activation.</exception>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record (conditional on <see cref="Etag"/>) and resets <see cref="State"/>.</summary>
    /// <exception cref="InconsistentStateException">Another writer got there first.</exception>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}

/// <summary>Names of grain storages every silo understands.</summary>
public static class StorageNames
{
    /// <summary>The storage used when a grain does not name one.</summary>
    public const string Default = "Default";
}

/// <summary>What the runtime needs from declared state during activation.</summary>
internal interface IPersistentStateLifecycle
{
    Task ReadAsync(CancellationToken cancellationToken);
}
