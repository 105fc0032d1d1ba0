using System.Collections.Immutable;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>
/// Seeded rule giving model, tier and regions to requests of traces that carry none (Azure, Mooncake).
/// </summary>
/// <remarks>
/// Request number i (0-based, file order) gets three uniforms from SplitMix64 of (Seed, i), so the choice depends
/// only on the seed and the request's position, never on what else was read. The first picks the home region by
/// <see cref="SyntheticRegion.Share"/>, the second the model by share, the third the tier (NIW with probability
/// <see cref="NonInteractiveShare"/>). Preference = home, then the region's spill-over order.
/// </remarks>
public sealed record TraceAssignment
{
    /// <summary>Seed of the rule (default 1).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Regions with shares and spill-over order (default as the synthetic generator).</summary>
    public ImmutableArray<SyntheticRegion> Regions { get; init; } = SyntheticWorkloadOptions.DefaultRegions;

    /// <summary>Models with shares (default as the synthetic generator).</summary>
    public ImmutableArray<(ModelId Model, double Share)> Models { get; init; } = new SyntheticWorkloadOptions().Models;

    /// <summary>Probability a request is NIW (default 0.14).</summary>
    public double NonInteractiveShare { get; init; } = 0.14;

    /// <summary>Assigns request number <paramref name="index"/>.</summary>
    public (ModelId Model, Tier Tier, ImmutableArray<RegionId> Preference) Assign(long index)
    {
        ulong state = unchecked((ulong)Seed ^ ((ulong)index * 0xD1B54A32D192ED03UL));
        double u1 = Uniform(ref state);
        double u2 = Uniform(ref state);
        double u3 = Uniform(ref state);
        SyntheticRegion region = Regions[Choose(Regions.Select(r => r.Share), u1)];
        ModelId model = Models[Choose(Models.Select(m => m.Share), u2)].Model;
        Tier tier = u3 < NonInteractiveShare ? Tier.NonInteractive : Tier.Interactive;
        return (model, tier, [region.Region, .. region.Preference.Where(r => r != region.Region)]);
    }

    private static int Choose(IEnumerable<double> shares, double u)
    {
        double[] s = [.. shares];
        double target = u * s.Sum();
        double acc = 0;
        for (int i = 0; i < s.Length - 1; i++)
        {
            acc += s[i];
            if (target < acc)
            {
                return i;
            }
        }

        return s.Length - 1;
    }

    private static double Uniform(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
