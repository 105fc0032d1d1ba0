using SageServe.Grains.Domain;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Tests.Workloads;

public sealed class WorkloadStatsTests
{
    private static InferenceRequest Request(long id, double minutes, string region, Tier tier = Tier.Interactive, int prompt = 100, int output = 10) =>
        new(id, TimeSpan.FromMinutes(minutes), new ModelId("A"), tier, [new RegionId(region)], prompt, output, tier == Tier.NonInteractive ? TimeSpan.FromHours(12) : null);

    [Fact]
    public void Compute_KnownRequests_CountsSharesAndBurstiness()
    {
        // Minute 0: 6 requests, minutes 1 and 2: 1 each, minute 3: 0, minute 4: 2 → per-minute [6, 1, 1, 0, 2].
        double[] minutes = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 1.5, 2.5, 4.1, 4.2];
        var requests = minutes.Select((m, i) => Request(i, m, i % 2 == 0 ? "westus" : "eastus", i < 3 ? Tier.NonInteractive : Tier.Interactive, prompt: i + 1)).ToList();

        WorkloadStats stats = WorkloadStats.Compute(requests);

        Assert.Equal(10, stats.Total);
        Assert.Equal(0.3, stats.NonInteractiveShare, 1e-12);
        Assert.Equal([6L, 1, 1, 0, 2], stats.PerMinute.ToArray());
        Assert.Equal(6 / 2.0, stats.PeakToMeanPerMinute, 1e-12);
        Assert.Equal(5.5 / 2.0, stats.DispersionPerMinute, 1e-12); // sample variance 22/4, mean 2
        Assert.Equal(1.0, stats.RegionalImbalance, 1e-12);
        Assert.Equal(5, stats.PromptTokens.Percentile(0.5));
        Assert.Equal(10, stats.PromptTokens.Percentile(1.0));
        Assert.Equal(1, stats.PromptTokens.Percentile(0.01));
        Assert.Equal(5.5, stats.PromptTokens.Mean, 1e-12);
    }

    [Fact]
    public void TokenHistogram_ValuesAboveDenseRange_PercentilesStillExact()
    {
        var h = new TokenHistogram();
        foreach (int v in new[] { 10, 100_000, 500_000, 70_000 })
        {
            h.Add(v);
        }

        Assert.Equal(10, h.Percentile(0.25));
        Assert.Equal(70_000, h.Percentile(0.5));
        Assert.Equal(500_000, h.Percentile(1));
    }

    [Fact]
    public void ToHtml_Always_SelfContainedWithSvgAndEscapedTitle()
    {
        WorkloadStats stats = WorkloadStats.Compute([Request(0, 0, "westus"), Request(1, 61, "eastus")]);

        string html = stats.ToHtml("a <b> & c");

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("a &lt;b&gt; &amp; c", html);
        Assert.Equal(5, html.Split("<svg").Length - 1);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);
    }

    [Fact]
    public void ToText_TwoHours_HasRowPerHour()
    {
        WorkloadStats stats = WorkloadStats.Compute([Request(0, 0, "westus"), Request(1, 61, "eastus")]);

        string text = stats.ToText();

        Assert.Equal(2, stats.Hours);
        Assert.Contains("NIW share           0.00 %", text);
        Assert.Matches(@"\n   1      1 ", text);
    }
}
