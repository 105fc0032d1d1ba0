using System.Collections.Immutable;

namespace SageServe.Grains.Domain;

/// <summary>One LLM request as it arrives at the control plane.</summary>
/// <param name="Id">Unique within a workload.</param>
/// <param name="Arrival">Arrival time as an offset from the workload's start.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Tier">Interactive or non-interactive.</param>
/// <param name="RegionPreference">Regions in preference order; the first is the home region.</param>
/// <param name="PromptTokens">Prompt (prefill) length in tokens, ≥ 1.</param>
/// <param name="OutputTokens">Output (decode) length in tokens, ≥ 1.</param>
/// <param name="Deadline">For NIW: how long after arrival it must complete; null for IW.</param>
/// <param name="JobId">The durable job this request serves (live NIW jobs), so whichever silo sees it finish can report it.</param>
public sealed record InferenceRequest(
    long Id,
    TimeSpan Arrival,
    ModelId Model,
    Tier Tier,
    ImmutableArray<RegionId> RegionPreference,
    int PromptTokens,
    int OutputTokens,
    TimeSpan? Deadline = null,
    string? JobId = null)
{
    /// <summary>The home region: the first of <see cref="RegionPreference"/>.</summary>
    public RegionId HomeRegion => RegionPreference[0];

    /// <summary>Value equality, including the region preference's contents (an array compares by reference).</summary>
    public bool Equals(InferenceRequest? other) =>
        other is not null &&
        Id == other.Id && Arrival == other.Arrival && Model == other.Model && Tier == other.Tier &&
        PromptTokens == other.PromptTokens && OutputTokens == other.OutputTokens && Deadline == other.Deadline && JobId == other.JobId &&
        RegionPreference.AsSpan().SequenceEqual(other.RegionPreference.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Arrival, Model, Tier, PromptTokens, OutputTokens, Deadline, RegionPreference.Length);
}
