namespace SageServe.Planning.Capacity;

/// <summary>
/// The interactive SLO a <see cref="CapacityModel"/> sizes an instance against (SPEC §1): a request's
/// TTFT ≤ <see cref="TtftBase"/> + <see cref="TtftPrefillMultiple"/> × its unloaded prefill time, and its mean
/// time between tokens ≤ <see cref="MeanTbt"/>. TTFT is held at the <see cref="TtftQuantile"/> of the queueing delay.
/// </summary>
public sealed record CapacityModelOptions
{
    /// <summary>The SPEC defaults: TTFT ≤ 2 s + 2 × prefill at p95, mean TBT ≤ 200 ms.</summary>
    public static CapacityModelOptions Default { get; } = new();

    /// <summary>Fixed part of the TTFT budget. Default 2 s.</summary>
    public TimeSpan TtftBase { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Multiple of the unloaded prefill time added to the TTFT budget. Default 2.</summary>
    public double TtftPrefillMultiple { get; init; } = 2.0;

    /// <summary>Bound on a request's mean time between output tokens. Default 200 ms.</summary>
    public TimeSpan MeanTbt { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Quantile of the TTFT distribution that must meet the budget. Default 0.95.</summary>
    public double TtftQuantile { get; init; } = 0.95;

    /// <summary>Throws when a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is not positive, the multiple is below 1, or the
    /// quantile is outside (0, 1).</exception>
    public void Validate()
    {
        if (TtftBase < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TtftBase), TtftBase, "CapacityModelOptions.TtftBase must be >= 0");
        }

        if (!(TtftPrefillMultiple >= 1.0) || double.IsInfinity(TtftPrefillMultiple))
        {
            throw new ArgumentOutOfRangeException(nameof(TtftPrefillMultiple), TtftPrefillMultiple,
                "CapacityModelOptions.TtftPrefillMultiple must be a finite number >= 1 (a request always pays its own prefill)");
        }

        if (MeanTbt <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MeanTbt), MeanTbt, "CapacityModelOptions.MeanTbt must be positive");
        }

        if (!(TtftQuantile > 0.0 && TtftQuantile < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(TtftQuantile), TtftQuantile, "CapacityModelOptions.TtftQuantile must lie in (0, 1)");
        }
    }
}
