using System.Text.Json;
using System.Text.Json.Serialization;

namespace SageServe.Client;

/// <summary>Tier names the API accepts.</summary>
public static class Tiers
{
    /// <summary>Interactive (latency SLO).</summary>
    public const string Interactive = "interactive";

    /// <summary>Non-interactive (deadline of hours).</summary>
    public const string NonInteractive = "non-interactive";
}

/// <summary>A request to route.</summary>
/// <param name="Model">Model name (e.g. <c>A</c>).</param>
/// <param name="Tier"><see cref="Tiers"/>.</param>
/// <param name="HomeRegion">Where the request arrived.</param>
/// <param name="PromptTokens">Prompt length (1..1,000,000).</param>
/// <param name="ExpectedOutputTokens">Expected output length (1..1,000,000).</param>
/// <param name="RequestId">Caller's id; the client makes one up when null (reused across retries).</param>
/// <param name="RegionPreference">Further regions in preference order.</param>
public sealed record RouteRequest(
    string Model, string Tier, string HomeRegion, int PromptTokens, int ExpectedOutputTokens, string? RequestId = null, IReadOnlyList<string>? RegionPreference = null);

/// <summary>Where a request goes.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Outcome"><c>routed</c>, <c>queued</c> or <c>rejected</c>.</param>
/// <param name="Region">Deciding region.</param>
/// <param name="Instance">Chosen instance.</param>
/// <param name="WorkerEndpoint">The worker's address.</param>
/// <param name="Reason">Why rejected.</param>
public sealed record RouteResponse(string RequestId, string Outcome, string Region, string? Instance, string? WorkerEndpoint, string? Reason);

/// <summary>A finished request the caller served.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Instance">The instance it was routed to.</param>
/// <param name="OutputTokens">Tokens produced.</param>
/// <param name="Succeeded">Whether it succeeded.</param>
public sealed record CompletionReport(string RequestId, string Instance, int? OutputTokens = null, bool? Succeeded = null);

/// <summary>The silo's acknowledgement of a completion.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Accepted">Recorded.</param>
/// <param name="Duplicate">Already reported earlier.</param>
/// <param name="FreedTokens">Pending tokens freed.</param>
public sealed record CompletionAck(string RequestId, bool Accepted, bool Duplicate, long FreedTokens);

/// <summary>A non-interactive job.</summary>
/// <param name="Model">Model name.</param>
/// <param name="HomeRegion">Home region.</param>
/// <param name="PromptTokens">Prompt length.</param>
/// <param name="ExpectedOutputTokens">Expected output length.</param>
/// <param name="DeadlineSeconds">Completion deadline after acceptance (default 24 h on the silo).</param>
/// <param name="RegionPreference">Further regions.</param>
public sealed record NiwJobRequest(
    string Model, string HomeRegion, int PromptTokens, int ExpectedOutputTokens, double? DeadlineSeconds = null, IReadOnlyList<string>? RegionPreference = null);

/// <summary>A job's state.</summary>
/// <param name="JobId">Id.</param>
/// <param name="Status"><c>queued</c>, <c>running</c>, <c>completed</c> or <c>rejected</c>.</param>
/// <param name="Reason">Why rejected.</param>
/// <param name="Region">Serving region.</param>
/// <param name="Instance">Serving instance.</param>
/// <param name="StatusUrl">Where to poll.</param>
/// <param name="AcceptedAt">When accepted.</param>
/// <param name="UpdatedAt">Last change.</param>
public sealed record NiwJob(string JobId, string Status, string? Reason, string? Region, string? Instance, string StatusUrl, DateTimeOffset AcceptedAt, DateTimeOffset UpdatedAt);

/// <summary>RFC 7807 problem details as the silo sends them.</summary>
/// <param name="Type">Problem type.</param>
/// <param name="Title">Summary.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Detail">What is wrong.</param>
/// <param name="Field">The offending field.</param>
/// <param name="Instance">The request path.</param>
public sealed record Problem(string? Type, string? Title, int Status, string? Detail, string? Field, string? Instance);

/// <summary>Source-generated JSON for the client's types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RouteRequest))]
[JsonSerializable(typeof(RouteResponse))]
[JsonSerializable(typeof(CompletionReport))]
[JsonSerializable(typeof(CompletionAck))]
[JsonSerializable(typeof(NiwJobRequest))]
[JsonSerializable(typeof(NiwJob))]
[JsonSerializable(typeof(Problem))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
