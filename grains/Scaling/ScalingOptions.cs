namespace SageServe.Grains.Scaling;

/// <summary>
/// Settings of the reactive layer and of the simulated cloud's delays (SPEC §1–2). One immutable snapshot per run;
/// <see cref="Validate"/> names the first bad option.
/// </summary>
public sealed record ScalingOptions
{
    /// <summary>How often each region evaluates scaling and NIW release (default 15 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Scale an endpoint out above this KV utilisation (default 0.5).</summary>
    public double ScaleOutAbove { get; init; } = 0.5;

    /// <summary>Scale an endpoint in below this KV utilisation (default 0.25).</summary>
    public double ScaleInBelow { get; init; } = 0.25;

    /// <summary>Least time between two scale-outs of one pool (default 60 s).</summary>
    public TimeSpan ScaleOutCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Least time between two scale-ins of one pool, and after a scale-out (default 5 min).</summary>
    public TimeSpan ScaleInCooldown { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Fewest instances of an interactive-serving pool (default 2).</summary>
    public int Floor { get; init; } = 2;

    /// <summary>Release queued NIW work when a pool's utilisation is at or below this (default 0.5).</summary>
    public double NiwReleaseBelow { get; init; } = 0.5;

    /// <summary>Stop releasing NIW work once a pool's utilisation would pass this (default 0.6).</summary>
    public double NiwReleaseUpTo { get; init; } = 0.6;

    /// <summary>Release a queued NIW request regardless of load when its deadline is this close (default 2 h).</summary>
    public TimeSpan NiwUrgentSlack { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Reclaiming a donated VM that still holds the model (default 65 s).</summary>
    public TimeSpan ReclaimDelay { get; init; } = TimeSpan.FromSeconds(65);

    /// <summary>Loading a different model onto a VM (default 155 s).</summary>
    public TimeSpan ModelLoadDelay { get; init; } = TimeSpan.FromSeconds(155);

    /// <summary>A new on-demand VM from the cloud, before the model load (default 10 min).</summary>
    public TimeSpan ProvisioningDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>VMs per (region, SKU) the cloud allows (default 200).</summary>
    public int QuotaVmsPerRegionSku { get; init; } = 200;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Check(Interval > TimeSpan.Zero, $"ScalingOptions.Interval must be > 0 (got {Interval}).");
        Check(ScaleInBelow >= 0 && ScaleInBelow < ScaleOutAbove && ScaleOutAbove <= 1.5, $"ScalingOptions: need 0 ≤ ScaleInBelow ({ScaleInBelow}) < ScaleOutAbove ({ScaleOutAbove}).");
        Check(NiwReleaseBelow >= 0 && NiwReleaseBelow <= NiwReleaseUpTo, $"ScalingOptions: need 0 ≤ NiwReleaseBelow ({NiwReleaseBelow}) ≤ NiwReleaseUpTo ({NiwReleaseUpTo}).");
        Check(Floor >= 0, $"ScalingOptions.Floor must be ≥ 0 (got {Floor}).");
        Check(QuotaVmsPerRegionSku >= 0, $"ScalingOptions.QuotaVmsPerRegionSku must be ≥ 0 (got {QuotaVmsPerRegionSku}).");
        Check(ReclaimDelay >= TimeSpan.Zero && ModelLoadDelay >= TimeSpan.Zero && ProvisioningDelay >= TimeSpan.Zero, "ScalingOptions: delays must be ≥ 0.");
        Check(ScaleOutCooldown >= TimeSpan.Zero && ScaleInCooldown >= TimeSpan.Zero, "ScalingOptions: cooldowns must be ≥ 0.");
    }
}
