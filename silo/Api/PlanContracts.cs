using System.Text.Json;
using System.Text.Json.Serialization;

namespace SageServe.Silo.Api;

/// <summary>Answer of <c>GET /v1/plan</c> and <c>POST /v1/control/plan</c>: the planner's latest decision, forecast vs actual.</summary>
/// <param name="Sequence">The plan's index (0 for the planner's first plan; survives restarts with the data dir).</param>
/// <param name="MadeAt">When the planner woke for it.</param>
/// <param name="AgeSeconds">Seconds since then.</param>
/// <param name="Mode"><c>ilp</c> (co-optimising, CBC) or <c>reference</c>.</param>
/// <param name="Forecaster">The forecaster's name.</param>
/// <param name="UpperQuantile">The quantile of each hour's peak the targets are sized for.</param>
/// <param name="HorizonHours">Hours the plan covers (the first is applied).</param>
/// <param name="IntervalSeconds">Seconds between the planner's own wake-ups.</param>
/// <param name="Solver">What the solver reported.</param>
/// <param name="Regions">Targets per region and model.</param>
public sealed record PlanDto(
    int Sequence, DateTimeOffset MadeAt, double AgeSeconds, string Mode, string Forecaster, double UpperQuantile, int HorizonHours,
    double IntervalSeconds, PlanSolverDto Solver, PlanRegionDto[] Regions);

/// <summary>How a plan was solved.</summary>
/// <param name="Status">Optimal, Feasible or Fallback.</param>
/// <param name="SolverStatus">The MIP solver's status (CBC); absent when no solver ran.</param>
/// <param name="SolveMilliseconds">Model building plus solving.</param>
/// <param name="ObjectiveUsd">Objective over the horizon; absent for a fallback.</param>
/// <param name="Gap">Relative optimality gap; absent for a fallback.</param>
/// <param name="Variables">Columns of the MIP.</param>
/// <param name="Constraints">Rows of the MIP.</param>
/// <param name="Explanation">The planner's summary (for a fallback, why).</param>
public sealed record PlanSolverDto(
    string Status, string? SolverStatus, double SolveMilliseconds, double? ObjectiveUsd, double? Gap, int Variables, int Constraints, string Explanation);

/// <summary>One region of a plan.</summary>
public sealed record PlanRegionDto(string Name, PlanModelDto[] Models);

/// <summary>One (region, model) of a plan.</summary>
/// <param name="Model">The model.</param>
/// <param name="TargetInstances">Instances to have serving this hour.</param>
/// <param name="Forecast">What the target was sized for; absent when the series had no history yet.</param>
/// <param name="Actual">What arrived since the plan was made.</param>
/// <param name="Spill">Shares of this region's interactive traffic to serve elsewhere.</param>
/// <param name="Reason">Why.</param>
public sealed record PlanModelDto(string Model, int TargetInstances, PlanForecastDto? Forecast, PlanActualDto Actual, PlanSpillDto[] Spill, string Reason);

/// <summary>The forecast behind a target (interactive prompt tokens per minute).</summary>
/// <param name="PromptTokensPerMinute">Point forecast, averaged over the hour.</param>
/// <param name="PeakPromptTokensPerMinute">Upper quantile of the hour's busiest minute.</param>
public sealed record PlanForecastDto(double PromptTokensPerMinute, double PeakPromptTokensPerMinute);

/// <summary>Interactive prompt tokens that arrived at the region for the model since the plan was made.</summary>
/// <param name="WindowSeconds">Seconds since the plan was made.</param>
/// <param name="PromptTokens">Tokens in that window.</param>
/// <param name="PromptTokensPerMinute">Their mean rate.</param>
/// <param name="PeakPromptTokensPerMinute">The busiest clock minute from the plan's minute on.</param>
public sealed record PlanActualDto(double WindowSeconds, double PromptTokens, double PromptTokensPerMinute, double PeakPromptTokensPerMinute);

/// <summary>A share of traffic served in another region.</summary>
public sealed record PlanSpillDto(string To, double Fraction);

/// <summary>System.Text.Json source generation for the plan types (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PlanDto))]
public sealed partial class PlanJsonContext : JsonSerializerContext;
