using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Experiments;

/// <summary>
/// Sizes a fixed fleet for a synthetic workload: enough instances per (region, model) for its peak minute at a
/// target batch, never below the endpoint floor. This is provisioning for the peak (what a static pool does), the
/// baseline the planner strategies improve on.
/// </summary>
public static class StaticFleetSizer
{
    /// <summary>Sizes a fleet on <paramref name="sku"/> for <paramref name="generator"/>'s workload.</summary>
    /// <param name="generator">Gives the expected arrivals per minute by region and model.</param>
    /// <param name="catalog">Per-instance performance.</param>
    /// <param name="sku">The VM type.</param>
    /// <param name="floor">Fewest instances per endpoint (default 2).</param>
    /// <param name="targetBatch">Batch size the estimate assumes an instance sustains within SLO (default 32).</param>
    /// <param name="meanPromptTokens">Mean prompt length of the workload.</param>
    /// <param name="meanOutputTokens">Mean output length of the workload.</param>
    public static FleetTopology ForPeak(
        SyntheticWorkloadGenerator generator,
        PerformanceCatalog catalog,
        SkuId sku,
        int floor = 2,
        int targetBatch = 32,
        double meanPromptTokens = 1_000,
        double meanOutputTokens = 222) =>
        ForWindow(generator, catalog, sku, 0, generator.Minutes, floor, targetBatch, meanPromptTokens, meanOutputTokens);

    /// <summary>
    /// Like <see cref="ForPeak"/>, serving the peak minute within [<paramref name="fromMinute"/>, <paramref name="toMinute"/>)
    /// at start; the rest of a peak-sized regional pool starts donated to the spot pool, ready to be reclaimed.
    /// </summary>
    public static FleetTopology ForWindow(
        SyntheticWorkloadGenerator generator,
        PerformanceCatalog catalog,
        SkuId sku,
        int fromMinute,
        int toMinute,
        int floor = 2,
        int targetBatch = 32,
        double meanPromptTokens = 1_000,
        double meanOutputTokens = 222)
    {
        ArgumentNullException.ThrowIfNull(generator);
        toMinute = Math.Min(toMinute, generator.Minutes);
        if (fromMinute < 0 || fromMinute >= toMinute)
        {
            throw new ArgumentOutOfRangeException(nameof(fromMinute), $"window [{fromMinute}, {toMinute}) is empty");
        }

        var deployments = ImmutableArray.CreateBuilder<Deployment>();
        foreach (var region in generator.Options.Regions)
        {
            foreach (var (model, _) in generator.Options.Models)
            {
                var profile = catalog.Get(model, sku);
                var peakPerSecond = Enumerable.Range(fromMinute, toMinute - fromMinute).Max(m => generator.ExpectedRequests(m, region.Region, model)) / 60;
                var perInstance = RequestsPerSecond(profile, targetBatch, meanPromptTokens, meanOutputTokens);
                var instances = Math.Max(floor, (int)Math.Ceiling(peakPerSecond / perInstance));
                var dayPeakPerSecond = Enumerable.Range(0, generator.Minutes).Max(m => generator.ExpectedRequests(m, region.Region, model)) / 60;
                var poolSize = Math.Max(instances, (int)Math.Ceiling(dayPeakPerSecond / perInstance));
                deployments.Add(new Deployment(region.Region, model, sku, instances, SpotVms: poolSize - instances));
            }
        }

        return new FleetTopology(deployments.ToImmutable());
    }

    /// <summary>
    /// Requests per second one instance completes at a steady batch of <paramref name="batch"/>: each request costs
    /// its prefill plus its share of the decode iterations.
    /// </summary>
    public static double RequestsPerSecond(InstanceProfile profile, int batch, double meanPromptTokens, double meanOutputTokens)
    {
        var latency = profile.Latency;
        batch = (int)Math.Max(1, Math.Min(batch, profile.KvCapacityTokens / (meanPromptTokens + meanOutputTokens)));
        var context = (long)(batch * (meanPromptTokens + (meanOutputTokens / 2)));
        var decodePerRequest = meanOutputTokens * latency.DecodeIterationSeconds(batch, context) / batch;
        return 1 / (decodePerRequest + latency.PrefillSeconds((long)meanPromptTokens));
    }
}
