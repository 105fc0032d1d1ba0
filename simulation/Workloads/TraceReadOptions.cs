using System.Collections.Immutable;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>What trace readers accept and how they fill what a format does not carry.</summary>
public sealed record TraceReadOptions
{
    /// <summary>Regions by digit of the SageServe <c>regions</c> column (default 0 = westus, 1 = centralus, 2 = eastus).</summary>
    public ImmutableArray<RegionId> Regions { get; init; } = [new("westus"), new("centralus"), new("eastus")];

    /// <summary>Models a trace may name; anything else is an error (default A, B, C, D). Empty accepts any.</summary>
    public ImmutableArray<ModelId> KnownModels { get; init; } = [new("A"), new("B"), new("C"), new("D")];

    /// <summary>NIW deadline when the trace gives none (SageServe <c>sla</c> ≤ 0; Azure and Mooncake). Default 12 h.</summary>
    public TimeSpan NonInteractiveDeadline { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Largest accepted prompt or output length (default 1,000,000 tokens).</summary>
    public int MaxTokens { get; init; } = 1_000_000;

    /// <summary>Largest accepted arrival offset (default 366 days).</summary>
    public TimeSpan MaxArrival { get; init; } = TimeSpan.FromDays(366);

    /// <summary>Default options.</summary>
    public static TraceReadOptions Default { get; } = new();
}
