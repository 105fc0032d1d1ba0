namespace SageServe.Silo.Hosting;

/// <summary>The answer to a route call.</summary>
/// <param name="RequestId">The caller's id (or one made up).</param>
/// <param name="Outcome">routed, queued or rejected.</param>
/// <param name="Region">Deciding/serving region.</param>
/// <param name="Instance">Chosen instance.</param>
/// <param name="WorkerEndpoint">Where the worker is (informational for simulated workers).</param>
/// <param name="Reason">Why rejected.</param>
public sealed record RouteResult(string RequestId, string Outcome, string Region, string? Instance, string? WorkerEndpoint, string? Reason);

/// <summary>The answer to a completion report.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Accepted">Always true when answered.</param>
/// <param name="Duplicate">Already reported before.</param>
/// <param name="FreedTokens">Pending tokens freed in the region.</param>
public sealed record CompletionResult(string RequestId, bool Accepted, bool Duplicate, long FreedTokens);
