using System.Text.Json;
using System.Text.Json.Serialization;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary>Body of <c>POST /v1/route</c>.</summary>
public sealed record RouteRequestDto(
    string? RequestId, string? Model, string? Tier, string? HomeRegion, string[]? RegionPreference, int? PromptTokens, int? ExpectedOutputTokens);

/// <summary>Body of <c>POST /v1/completions</c>.</summary>
public sealed record CompletionRequestDto(string? RequestId, string? Instance, int? OutputTokens, bool? Succeeded);

/// <summary>Body of <c>POST /v1/niw</c>.</summary>
public sealed record NiwSubmitDto(string? Model, string? HomeRegion, string[]? RegionPreference, int? PromptTokens, int? ExpectedOutputTokens, double? DeadlineSeconds);

/// <summary>Answer of <c>POST /v1/niw</c> and <c>GET /v1/niw/{id}</c>.</summary>
public sealed record NiwJobDto(string JobId, string Status, string? Reason, string? Region, string? Instance, string StatusUrl, DateTimeOffset AcceptedAt, DateTimeOffset UpdatedAt);

/// <summary>Body of <c>PUT /v1/control/policy</c>.</summary>
public sealed record PolicyDto(string? Name);

/// <summary>Answer of control operations.</summary>
public sealed record ControlResultDto(string Operation, string Target, string Status, string? Note);

/// <summary>Answer of <c>GET /v1/cluster</c>.</summary>
public sealed record ClusterDto(
    double UptimeSeconds, string Policy, DecisionCountsDto Decisions, long NiwQueueDepth, double? SloAttainment, ClusterRegionDto[] Regions, MembershipDto? Membership = null, string Strategy = "Reactive");

/// <summary>This silo's view of the cluster (absent for a stand-alone silo).</summary>
/// <param name="Self">This silo's address (<c>host:port@generation/region</c>).</param>
/// <param name="CanAct">Whether it may own grains now (fresh view, not declared dead, not stopping).</param>
/// <param name="Version">The membership table version it last read.</param>
/// <param name="Members">Every row of the table.</param>
/// <param name="SingletonOwner">The silo that hosts the planner under this view.</param>
/// <param name="PlannerActiveHere">Whether the planner is activated on this silo.</param>
/// <param name="Activations">Grain activations on this silo.</param>
/// <param name="RemoteCallsSent">Grain calls sent to other silos.</param>
/// <param name="RemoteCallsReceived">Grain calls received from other silos.</param>
public sealed record MembershipDto(
    string Self, bool CanAct, long Version, MemberDto[] Members, string? SingletonOwner, bool PlannerActiveHere, int Activations, long RemoteCallsSent, long RemoteCallsReceived);

/// <summary>One silo in the membership table.</summary>
public sealed record MemberDto(string Address, string Region, string Status, DateTimeOffset IAmAliveTime);

/// <summary>The grains activated on one silo (to check single activation across the cluster).</summary>
public sealed record ActivationsDto(string Silo, string[] Grains);

/// <summary>Decisions by outcome since start.</summary>
public sealed record DecisionCountsDto(long Routed, long Queued, long Rejected, long Completed);

/// <summary>One region in <see cref="ClusterDto"/>.</summary>
public sealed record ClusterRegionDto(string Name, long Arrived, long Routed, long Completed, Dictionary<string, long> Rejected, ClusterModelDto[] Models, int NiwQueued = 0, int NiwOverdue = 0);

/// <summary>One model in a region.</summary>
public sealed record ClusterModelDto(string Name, string Sku, ClusterInstanceDto[] Instances);

/// <summary>One instance with its load.</summary>
public sealed record ClusterInstanceDto(
    string Key, string State, int Running, int Waiting, long PendingTokens, long KvTokensReserved, long KvTokensCapacity, double KvUtilisation, long RegionPendingTokens);

/// <summary>RFC 7807 problem details (with the offending field).</summary>
public sealed record ProblemDto(string Type, string Title, int Status, string? Detail, string? Field, string? Instance);

/// <summary>System.Text.Json source generation for every API type (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RouteRequestDto))]
[JsonSerializable(typeof(RouteResult))]
[JsonSerializable(typeof(CompletionRequestDto))]
[JsonSerializable(typeof(CompletionResult))]
[JsonSerializable(typeof(NiwSubmitDto))]
[JsonSerializable(typeof(NiwJobDto))]
[JsonSerializable(typeof(PolicyDto))]
[JsonSerializable(typeof(ControlResultDto))]
[JsonSerializable(typeof(ClusterDto))]
[JsonSerializable(typeof(ActivationsDto))]
[JsonSerializable(typeof(MembershipDto))]
[JsonSerializable(typeof(ProblemDto))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
