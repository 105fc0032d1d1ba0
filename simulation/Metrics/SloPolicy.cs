namespace SageServe.Simulation.Metrics;

/// <summary>
/// The interactive SLO (SPEC §1): TTFT ≤ <see cref="TtftBase"/> + <see cref="TtftPrefillMultiple"/> × the unloaded
/// prefill time of the prompt, and mean TBT ≤ <see cref="MaxMeanTimeBetweenTokens"/>.
/// </summary>
public sealed record SloPolicy
{
    /// <summary>Fixed TTFT allowance (default 2 s).</summary>
    public TimeSpan TtftBase { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Multiple of the unloaded prefill time added to the TTFT allowance (default 2).</summary>
    public double TtftPrefillMultiple { get; init; } = 2;

    /// <summary>Largest mean time between tokens (default 200 ms).</summary>
    public TimeSpan MaxMeanTimeBetweenTokens { get; init; } = TimeSpan.FromMilliseconds(200);
}
