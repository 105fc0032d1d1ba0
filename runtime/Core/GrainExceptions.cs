namespace SageServe.Runtime;

/// <summary>A grain call passed its deadline. Its outcome is unknown: the callee may still have run it (at most once).</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public GrainCallTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public GrainCallTimeoutException() { }

    /// <summary>Creates the exception.</summary>
    public GrainCallTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// A call would wait forever: its target is busy with a non-interleaving turn that is itself waiting (directly or
/// through other grains) on this call. Raised at once instead of hanging until the deadline.
/// </summary>
public sealed class DeadlockException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public DeadlockException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public DeadlockException() { }

    /// <summary>Creates the exception.</summary>
    public DeadlockException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A grain could not be activated (its constructor, state read or <c>OnActivateAsync</c> failed).</summary>
public sealed class GrainActivationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainActivationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public GrainActivationException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public GrainActivationException() { }
}
