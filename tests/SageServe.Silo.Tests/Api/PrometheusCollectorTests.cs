using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SageServe.Silo.Api;

namespace SageServe.Silo.Tests.Api;

public sealed partial class PrometheusCollectorTests
{
    [GeneratedRegex(@"^test_latency_seconds_bucket\{le=""([^""]+)""\} (\d+)$", RegexOptions.Multiline)]
    private static partial Regex Bucket();

    [Fact]
    public void Scrape_Histogram_CumulativeBucketsEndingInTheCount()
    {
        using var meter = new Meter("test-" + Guid.NewGuid().ToString("N"));
        using var collector = new PrometheusCollector(meter);
        var histogram = meter.CreateHistogram<double>("test.latency", "s");
        foreach (var v in new[] { 0.00005, 0.0003, 0.0003, 0.02, 7.0 })
        {
            histogram.Record(v);
        }

        var text = collector.Scrape();

        var buckets = Bucket().Matches(text).Select(m => (Le: m.Groups[1].Value, N: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(16, buckets.Length);
        Assert.Equal(1, buckets[0].N); // ≤ 0.0001
        Assert.Equal(3, buckets.Single(b => b.Le == "0.0005").N);
        Assert.Equal(4, buckets.Single(b => b.Le == "5").N);
        Assert.Equal(("+Inf", 5L), buckets[^1]);
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.N <= p.Second.N), "buckets must be cumulative");
        Assert.Contains("test_latency_seconds_count 5\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE test_latency_seconds histogram\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_CounterWithTags_OneSeriesPerLabelSetWithEscapedValues()
    {
        using var meter = new Meter("test-" + Guid.NewGuid().ToString("N"));
        using var collector = new PrometheusCollector(meter);
        var counter = meter.CreateCounter<long>("test.decisions");
        counter.Add(2, new KeyValuePair<string, object?>("outcome", "routed"));
        counter.Add(3, new KeyValuePair<string, object?>("outcome", "routed"));
        counter.Add(1, new KeyValuePair<string, object?>("outcome", "say \"no\""));

        var text = collector.Scrape();

        Assert.Contains("test_decisions_total{outcome=\"routed\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("test_decisions_total{outcome=\"say \\\"no\\\"\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_AnotherMeterWithTheSameName_NotMixedIn()
    {
        var name = "test-" + Guid.NewGuid().ToString("N");
        using var mine = new Meter(name);
        using var theirs = new Meter(name);
        using var collector = new PrometheusCollector(mine);
        mine.CreateCounter<long>("test.calls").Add(1);
        theirs.CreateCounter<long>("test.calls").Add(100);

        Assert.Contains("test_calls_total 1\n", collector.Scrape(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("the-right-key-1", true)]
    [InlineData("the-right-key-2", false)]
    [InlineData("the-right-key-1 ", false)]
    [InlineData("", false)]
    public void KeyMatches_ComparesWholeKeys(string presented, bool expected)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("the-right-key-1"));

        Assert.Equal(expected, ControlEndpoints.KeyMatches(hash, presented));
    }
}
