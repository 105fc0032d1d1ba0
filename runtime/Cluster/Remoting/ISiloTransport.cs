namespace SageServe.Runtime.Cluster.Remoting;

/// <summary>Carries encoded messages to other silos (HTTP/2 in production, see <see cref="HttpSiloTransport"/>).</summary>
public interface ISiloTransport : ISiloProber
{
    /// <summary>Sends an encoded <c>GrainCallMessage</c> to <paramref name="target"/> and returns the encoded result.</summary>
    /// <exception cref="SiloUnreachableException">The message was not delivered (no connection could be made): it did not run.</exception>
    /// <exception cref="HttpRequestException">The exchange failed after the message may have been delivered: outcome unknown.</exception>
    Task<byte[]> SendCallAsync(SiloAddress target, byte[] message, CancellationToken cancellationToken);
}

/// <summary>A message could not be delivered to a silo (connection refused or timed out): it did not run there.</summary>
public sealed class SiloUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloUnreachableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SiloUnreachableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SiloUnreachableException()
    {
    }
}
