namespace SageServe.Runtime;

/// <summary>
/// The grain's owner could not take the call, and the call was not executed: the owner silo is unreachable, is not
/// the owner under its own view, or this silo cannot act (no fresh membership view). Retrying later is safe.
/// </summary>
public sealed class SiloUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException()
    {
    }
}

/// <summary>A grain method that ran on another silo threw; <see cref="RemoteType"/> names the original exception type.</summary>
public sealed class RemoteGrainException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string remoteType, string message) : base($"{remoteType}: {message}")
    {
        RemoteType = remoteType;
    }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string message) : base(message)
    {
        RemoteType = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string message, Exception innerException) : base(message, innerException)
    {
        RemoteType = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException()
    {
        RemoteType = string.Empty;
    }

    /// <summary>The full name of the exception type thrown on the remote silo.</summary>
    public string RemoteType { get; }
}
