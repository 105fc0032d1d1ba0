using SageServe.Simulation.Reports;

namespace SageServe.Simulation.Tests.Reports;

/// <summary>Hand-built reports with realistic shapes: a day of 5-minute buckets, diurnal load, long-tailed latencies.</summary>
internal static class TestReports
{
    public const int Buckets = 288;
    public static readonly string[] Regions = ["westus", "eastus", "centralus"];
    public static readonly string[] Models = ["llama2-70b", "bloom-176b"];
    public static readonly double[] Quantiles = [.. Enumerable.Range(1, 99).Select(q => q / 100.0), 0.999];

    /// <summary>A report with one entry per name; <paramref name="extraModel"/> adds a model (e.g. a hostile name) everywhere.</summary>
    public static ExperimentReport Build(IReadOnlyList<string> strategies, string? extraModel = null, bool reverseInsertion = false)
    {
        var models = extraModel is null ? Models : [.. Models, extraModel];
        return new ExperimentReport(
            ExperimentReport.CurrentSchemaVersion,
            Seed: 42,
            new WorkloadSummary("synthetic", 1_234_567, 1.0, 0.3, Burst: false),
            [.. strategies.Select((name, i) => Strategy(name, i, models, reverseInsertion))]);
    }

    public static StrategyReport Strategy(string name, int index, IReadOnlyList<string> models, bool reverseInsertion = false)
    {
        var scale = 1.0 - (0.12 * index);
        var keys = Regions.SelectMany(r => models.Select(m => $"{r}/{m}")).Select((key, k) => (key, k)).ToList();
        var regions = Regions.ToList();
        if (reverseInsertion)
        {
            keys.Reverse();
            regions.Reverse();
        }

        var instances = new Dictionary<string, IReadOnlyList<int>>();
        foreach (var (key, k) in keys)
        {
            instances[key] = [.. Enumerable.Range(0, Buckets).Select(b => (int)Math.Round(scale * (5 + (1.5 * k) + ((2 + (k % 3)) * Diurnal(b)))))];
        }

        var gpus = regions.ToDictionary(r => r, r => (IReadOnlyList<int>)[.. Enumerable.Range(0, Buckets).Select(b => (int)Math.Round(scale * 8 * (20 + (10 * Diurnal(b)))))]);
        var queue = regions.ToDictionary(r => r, r => (IReadOnlyList<long>)[.. Enumerable.Range(0, Buckets).Select(b => (long)Math.Round(index * 40 * Math.Max(0, Diurnal(b))))]);
        var arrivals = new Dictionary<string, IReadOnlyList<long>>
        {
            ["non-interactive"] = [.. Enumerable.Range(0, Buckets).Select(b => (long)Math.Round(1200 + (300 * Diurnal(b))))],
            ["interactive"] = [.. Enumerable.Range(0, Buckets).Select(b => (long)Math.Round(3000 + (1500 * Diurnal(b))))],
        };

        var latency = new Dictionary<string, IReadOnlyList<double>>
        {
            ["non-interactive.completion"] = Curve(60 * (1 + index), 4000 * (1 + index)),
            ["interactive.ttft"] = Curve(0.2 / scale, 3 / scale),
            ["interactive.tbt"] = Curve(0.03, 0.12 / scale),
            ["interactive.e2e"] = Curve(2 / scale, 40 / scale),
        };

        var iw = new InteractiveSummary(800_000, Math.Round(0.99 - (0.03 * index), 4), 0.25, 1.1, 2.5, 0.035, 0.07, 0.1, 3, 12, 30);
        var niw = new NonInteractiveSummary(400_000, Math.Round(0.98 - (0.02 * index), 4), 100 * index, 30, 900, 3600, 7200);
        var rejected = new Dictionary<string, long> { ["queue-full"] = 10 + index, ["no-capacity"] = 5 };
        var accounting = new AccountingSummary(1_200_000, 1_199_000 - 15 - index, 15 + index, 1000, rejected,
            new TierAccounting(800_000, 799_990 - 15 - index, 15 + index, 10), new TierAccounting(400_000, 399_010, 0, 990));
        var slices = regions.Select(r => new SliceSummary(r, 100 * scale, iw, niw, accounting)).ToList();
        var modelSlices = models.AsEnumerable().Reverse().Select(m => new SliceSummary(m, 150 * scale, iw, niw, accounting)).ToList();
        return new StrategyReport(
            name, 1440 * scale, 90 * scale, 1440 * scale * 12.29,
            new ScalingEventCounts(120 + index, 40, 30, 20, 30 + index),
            iw, niw, accounting, slices, modelSlices,
            new TimeSeriesSet(300, instances, gpus, queue, arrivals),
            new LatencyDistributions(Quantiles, latency));
    }

    // A day-shaped load: -1 at 04:00, +1 at 16:00.
    private static double Diurnal(int bucket) => -Math.Cos(2 * Math.PI * ((bucket * 5.0 / 60) - 4) / 24);

    private static double[] Curve(double median, double p99) =>
        [.. Quantiles.Select(q => q <= 0.5 ? median * (0.3 + (1.4 * q)) : median * Math.Pow(p99 / median, (q - 0.5) / 0.49))];
}
