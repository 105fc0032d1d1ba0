namespace SageServe.Planning.Solver;

/// <summary>
/// Thrown when a solver backend cannot run at all on this machine, e.g. its native library is not installed.
/// The message names what to install.
/// </summary>
public sealed class SolverUnavailableException : Exception
{
    /// <summary>Creates the exception with a message saying what is missing and how to install it.</summary>
    public SolverUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying load failure.</summary>
    public SolverUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
