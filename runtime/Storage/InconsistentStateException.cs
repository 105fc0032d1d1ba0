namespace SageServe.Runtime.Storage;

/// <summary>
/// A conditional write lost: the stored ETag is not the one this activation last saw. The activation holding the
/// stale copy is deactivated by the runtime when this escapes a grain call.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message, string? storedEtag, string? expectedEtag, Exception? innerException = null)
        : base(message, innerException)
    {
        StoredEtag = storedEtag;
        ExpectedEtag = expectedEtag;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InconsistentStateException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InconsistentStateException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates an empty exception.</summary>
    public InconsistentStateException() { }

    /// <summary>The ETag found in storage, if known (<see langword="null"/> when no record exists).</summary>
    public string? StoredEtag { get; }

    /// <summary>The ETag the writer expected.</summary>
    public string? ExpectedEtag { get; }
}
