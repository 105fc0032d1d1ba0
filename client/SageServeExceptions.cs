using System.Net;

namespace SageServe.Client;

/// <summary>The silo refused the call (a 4xx, or a 5xx that is not worth retrying); retrying will not help.</summary>
public sealed class SageServeApiException(HttpStatusCode status, Problem? problem, string endpoint)
    : Exception($"{endpoint} answered {(int)status} {problem?.Title ?? status.ToString()}{(problem?.Field is { } f ? $" (field {f})" : "")}: {problem?.Detail ?? "no details"}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem details, when the silo sent them.</summary>
    public Problem? Problem { get; } = problem;
}

/// <summary>No silo answered within the deadline and attempts allowed; the last failure is the inner exception.</summary>
public sealed class SageServeUnavailableException(string message, Exception? inner) : Exception(message, inner);
