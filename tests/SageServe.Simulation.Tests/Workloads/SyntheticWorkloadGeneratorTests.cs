using System.Diagnostics;
using SageServe.Grains.Domain;
using SageServe.Simulation.Workloads;
using Xunit.Abstractions;

namespace SageServe.Simulation.Tests.Workloads;

public sealed class SyntheticWorkloadGeneratorTests(ITestOutputHelper output)
{
    private static readonly Lazy<(SyntheticWorkloadGenerator Generator, WorkloadStats Stats)> s_day = new(() =>
    {
        var generator = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions());
        return (generator, WorkloadStats.Compute(generator.Generate()));
    });

    [Fact]
    public void Generate_DefaultDay_HourlyCountsFollowConfiguredShapeWithinThreePercent()
    {
        (SyntheticWorkloadGenerator generator, WorkloadStats stats) = s_day.Value;

        Assert.Equal(24, stats.Hours);
        for (int hour = 0; hour < 24; hour++)
        {
            double expected = Enumerable.Range(hour * 60, 60).Sum(m => generator.ExpectedRequests(m));
            long observed = stats.PerMinute.Skip(hour * 60).Take(60).Sum();
            Assert.InRange(observed / expected, 0.97, 1.03);
        }

        foreach (SyntheticRegion region in generator.Options.Regions)
        {
            double expected = Enumerable.Range(0, 1440).Sum(m => generator.ExpectedRequests(m, region: region.Region));
            Assert.InRange(stats.PerHourByRegion[region.Region.Name].Sum() / expected, 0.98, 1.02);
        }
    }

    [Fact]
    public void Generate_DefaultDay_AboutOnePointFiveMillionRequestsAndFourteenPercentNiw()
    {
        WorkloadStats stats = s_day.Value.Stats;
        output.WriteLine(stats.ToText());

        Assert.InRange(stats.Total, 1_450_000, 1_550_000);
        Assert.InRange(stats.NonInteractiveShare, 0.125, 0.155);
        Assert.InRange(stats.RegionShares["westus"], 0.43, 0.47);
        Assert.True(stats.RegionalImbalance > 2, "westus should carry more than twice centralus' load");
        Assert.InRange(stats.OutputTokens.Mean, 0.9 * 222, 1.1 * 222);
    }

    [Fact]
    public void Generate_DefaultDay_InteractivePeaksInBusinessHoursOfEachRegion()
    {
        WorkloadStats stats = s_day.Value.Stats;

        // westus is UTC−8: 11:00 local = 19:00 UTC is busy, 03:00 local = 11:00 UTC is quiet.
        List<long> westus = stats.PerHourByRegion["westus"];
        Assert.True(westus[19] > 3 * westus[11], $"westus 19h UTC {westus[19]} vs 11h UTC {westus[11]}");
        List<long> eastus = stats.PerHourByRegion["eastus"];
        Assert.True(eastus[16] > 3 * eastus[8], $"eastus 16h UTC {eastus[16]} vs 8h UTC {eastus[8]}");
    }

    [Fact]
    public void Generate_ConversationOnly_TokenMediansWithinTenPercentOfAzureTrace()
    {
        var generator = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 200_000, CodeTraceShare = 0 });
        WorkloadStats stats = WorkloadStats.Compute(generator.Generate());
        EmpiricalTokenLengths conv = EmpiricalTokenLengths.Conversation;

        Assert.InRange(stats.PromptTokens.Percentile(0.5) / Median(conv.PromptTokens), 0.9, 1.1);
        Assert.InRange(stats.OutputTokens.Percentile(0.5) / Median(conv.OutputTokens), 0.9, 1.1);
    }

    [Fact]
    public void Generate_CodeOnly_TokenMediansWithinTenPercentOfAzureTrace()
    {
        var generator = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 200_000, CodeTraceShare = 1 });
        WorkloadStats stats = WorkloadStats.Compute(generator.Generate());
        EmpiricalTokenLengths code = EmpiricalTokenLengths.Code;

        Assert.InRange(stats.PromptTokens.Percentile(0.5) / Median(code.PromptTokens), 0.9, 1.1);
        Assert.InRange(stats.OutputTokens.Percentile(0.5) / Median(code.OutputTokens), 0.9, 1.1);
    }

    [Fact]
    public void Generate_SameSeed_IdenticalSequence()
    {
        var options = new SyntheticWorkloadOptions { RequestsPerDay = 50_000, Seed = 42 };

        InferenceRequest[] first = [.. new SyntheticWorkloadGenerator(options).Generate()];
        InferenceRequest[] second = [.. new SyntheticWorkloadGenerator(options).Generate()];

        Assert.Equal(first.Length, second.Length);
        Assert.True(first.Zip(second).All(p => Same(p.First, p.Second)));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentSequence()
    {
        InferenceRequest[] a = [.. new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 50_000, Seed = 1 }).Generate().Take(1000)];
        InferenceRequest[] b = [.. new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 50_000, Seed = 2 }).Generate().Take(1000)];

        Assert.True(a.Zip(b).Count(p => !Same(p.First, p.Second)) > 900);
    }

    [Fact]
    public void Generate_Always_ArrivalOrderUniqueIdsAndValidFields()
    {
        var options = new SyntheticWorkloadOptions { RequestsPerDay = 100_000, Duration = TimeSpan.FromDays(2) };
        TimeSpan previous = TimeSpan.Zero;
        long expectedId = 0;
        foreach (InferenceRequest r in new SyntheticWorkloadGenerator(options).Generate())
        {
            Assert.True(r.Arrival >= previous);
            Assert.True(r.Arrival < TimeSpan.FromDays(2));
            Assert.Equal(expectedId++, r.Id);
            Assert.True(r.PromptTokens >= 1 && r.OutputTokens >= 1);
            Assert.Equal(3, r.RegionPreference.Length);
            Assert.Equal(3, r.RegionPreference.Distinct().Count());
            Assert.Equal(r.Tier == Tier.NonInteractive ? TimeSpan.FromHours(12) : null, r.Deadline);
            previous = r.Arrival;
        }
    }

    [Fact]
    public void Generate_Weekend_InteractiveVolumeDrops()
    {
        // Start on Friday: day 1 (Saturday) carries 0.55× IW and 0.9× NIW of day 0.
        var options = new SyntheticWorkloadOptions { RequestsPerDay = 200_000, Duration = TimeSpan.FromDays(2), StartDay = DayOfWeek.Friday };
        WorkloadStats stats = WorkloadStats.Compute(new SyntheticWorkloadGenerator(options).Generate());
        IReadOnlyList<long> iw = stats.PerHourByTier(Tier.Interactive);

        double ratio = (double)iw.Skip(32).Take(16).Sum() / iw.Skip(8).Take(16).Sum();
        Assert.InRange(ratio, 0.5, 0.6);
    }

    [Fact]
    public void Generate_BurstVariant_FirstMinuteOfHourNineTimesTheLoad()
    {
        var options = new SyntheticWorkloadOptions { RequestsPerDay = 500_000, BurstCopies = 8 };
        var generator = new SyntheticWorkloadGenerator(options);
        WorkloadStats stats = WorkloadStats.Compute(generator.Generate());

        double burst = Enumerable.Range(0, 24).Sum(h => stats.PerMinute[h * 60]);
        double neighbours = Enumerable.Range(0, 24).Sum(h => stats.PerMinute[(h * 60) + 1] + stats.PerMinute[(h * 60) + 2]) / 2.0;
        Assert.InRange(burst / neighbours, 8.5, 9.5);
        Assert.All(Enumerable.Range(0, 24), h => Assert.InRange(stats.PerMinute[h * 60] / generator.ExpectedRequests(h * 60), 0.8, 1.2));

        Assert.True(stats.PeakToMeanPerMinute > 5);
        Assert.Equal(9 * generator.ExpectedRequests(61), generator.ExpectedRequests(60), 0.05 * generator.ExpectedRequests(60));
    }

    [Fact]
    public void Generate_TenThousandPerDay_ScalesDown()
    {
        long count = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 10_000 }).Generate().LongCount();

        Assert.InRange(count, 9_500, 10_500);
    }

    [Fact]
    public void Generate_TenMillionPerDayOneHour_MatchesExpectedRate()
    {
        var generator = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 10_000_000, Duration = TimeSpan.FromHours(1), StartDay = DayOfWeek.Monday });
        double expected = Enumerable.Range(0, 60).Sum(m => generator.ExpectedRequests(m));

        long count = generator.Generate().LongCount();

        Assert.InRange(count / expected, 0.99, 1.01);
        Assert.True(count > 250_000);
    }

    [Fact]
    public void Options_InvalidShare_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { NonInteractiveShare = 1.5 }));

        Assert.Contains("NonInteractiveShare", ex.Message);
    }

    [Fact]
    public void Generate_Throughput_Measured()
    {
        var generator = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 3_000_000 });

        // Warm up: load the embedded traces and let the JIT reach its optimised tier.
        long checksum = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 500_000 }).Generate().Sum(r => (long)r.OutputTokens);
        var watch = Stopwatch.StartNew();
        long n = 0;
        foreach (InferenceRequest r in generator.Generate())
        {
            checksum += r.PromptTokens;
            n++;
        }

        watch.Stop();
        var statsWatch = Stopwatch.StartNew();
        WorkloadStats stats = WorkloadStats.Compute(generator.Generate());
        statsWatch.Stop();
        output.WriteLine($"generated {n:N0} in {watch.Elapsed.TotalSeconds:F2} s = {n / watch.Elapsed.TotalSeconds:N0} req/s (checksum {checksum})");
        output.WriteLine($"generate+stats {stats.Total:N0} in {statsWatch.Elapsed.TotalSeconds:F2} s = {stats.Total / statsWatch.Elapsed.TotalSeconds:N0} req/s");
        var text = new StringWriter();
        SageServeTraceWriter.Write(text, generator.Generate().Take(1_000_000));
        string csv = text.ToString();
        var readWatch = Stopwatch.StartNew();
        long read = SageServeTraceReader.Read(new StringReader(csv), "mem.csv").LongCount();
        readWatch.Stop();
        output.WriteLine($"SageServe CSV read {read:N0} in {readWatch.Elapsed.TotalSeconds:F2} s = {read / readWatch.Elapsed.TotalSeconds:N0} req/s");
        Assert.True(n > 2_800_000);
        Assert.Equal(1_000_000, read);
    }

    private static double Median(ReadOnlySpan<int> values)
    {
        int[] sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[(sorted.Length - 1) / 2];
    }

    private static bool Same(InferenceRequest a, InferenceRequest b) =>
        a.Id == b.Id && a.Arrival == b.Arrival && a.Model == b.Model && a.Tier == b.Tier && a.PromptTokens == b.PromptTokens
        && a.OutputTokens == b.OutputTokens && a.Deadline == b.Deadline && a.RegionPreference.SequenceEqual(b.RegionPreference);
}
