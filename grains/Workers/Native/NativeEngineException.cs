namespace SageServe.Grains.Workers.Native;

/// <summary>A native engine call failed; the message carries the library's own description (<c>ss_last_error</c>).</summary>
public sealed class NativeEngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The status the call returned.</param>
    /// <param name="message">What failed and why.</param>
    public NativeEngineException(NativeStatus status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>The status the call returned.</summary>
    public NativeStatus Status { get; }
}
