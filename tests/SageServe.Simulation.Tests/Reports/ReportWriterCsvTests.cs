using SageServe.Simulation.Reports;

namespace SageServe.Simulation.Tests.Reports;

public sealed class ReportWriterCsvTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sageserve-csv-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void WriteCsv_ThreeStrategies_HeadersAndRowCounts()
    {
        var report = TestReports.Build(["Reactive", "LT-I", "LT-UA"]);

        var written = ReportWriter.WriteCsv(report, _dir);

        Assert.Equal(["instances.csv", "gpus.csv", "niw_queue.csv", "arrivals.csv", "strategies.csv"], written.Select(Path.GetFileName));
        var instances = File.ReadAllLines(Path.Combine(_dir, "instances.csv"));
        Assert.Equal("strategy,bucket_start_s,centralus/bloom-176b,centralus/llama2-70b,eastus/bloom-176b,eastus/llama2-70b,westus/bloom-176b,westus/llama2-70b", instances[0]);
        Assert.Equal(1 + (3 * TestReports.Buckets), instances.Length);
        Assert.StartsWith("Reactive,0,", instances[1], StringComparison.Ordinal);
        Assert.StartsWith("LT-I,0,", instances[1 + TestReports.Buckets], StringComparison.Ordinal);
        Assert.StartsWith("LT-UA,86100,", instances[^1], StringComparison.Ordinal);
        Assert.All(instances.Skip(1), line => Assert.Equal(8, line.Split(',').Length));

        Assert.Equal("strategy,bucket_start_s,centralus,eastus,westus", File.ReadLines(Path.Combine(_dir, "gpus.csv")).First());
        Assert.Equal("strategy,bucket_start_s,centralus,eastus,westus", File.ReadLines(Path.Combine(_dir, "niw_queue.csv")).First());
        Assert.Equal("strategy,bucket_start_s,interactive,non-interactive", File.ReadLines(Path.Combine(_dir, "arrivals.csv")).First());
        Assert.Equal(1 + (3 * TestReports.Buckets), File.ReadAllLines(Path.Combine(_dir, "gpus.csv")).Length);

        var strategies = File.ReadAllLines(Path.Combine(_dir, "strategies.csv"));
        Assert.Equal(4, strategies.Length);
        Assert.StartsWith("strategy,gpu_hours,wasted_gpu_hours,cost_usd,", strategies[0], StringComparison.Ordinal);
        Assert.StartsWith("Reactive,1440,90,17697.6,", strategies[1], StringComparison.Ordinal);
        Assert.All(strategies, line => Assert.Equal(strategies[0].Split(',').Length, line.Split(',').Length));
    }

    [Fact]
    public void WriteCsv_SeriesMissingInOneStrategy_EmptyCells()
    {
        var a = TestReports.Strategy("A", 0, TestReports.Models);
        var b = TestReports.Strategy("B", 1, [.. TestReports.Models, "extra"]);
        var report = TestReports.Build(["A"]) with { Strategies = [a, b] };

        ReportWriter.WriteCsv(report, _dir);

        var lines = File.ReadAllLines(Path.Combine(_dir, "instances.csv"));
        var header = lines[0].Split(',');
        var extra = Array.IndexOf(header, "eastus/extra");
        Assert.True(extra > 1);
        Assert.Equal(string.Empty, lines[1].Split(',')[extra]);
        Assert.NotEqual(string.Empty, lines[1 + TestReports.Buckets].Split(',')[extra]);
    }

    [Fact]
    public void WriteCsv_NameWithCommaAndQuote_QuotedPerRfc4180()
    {
        var report = TestReports.Build(["Re,active \"v2\""]);

        ReportWriter.WriteCsv(report, _dir);

        Assert.StartsWith("\"Re,active \"\"v2\"\"\",1440,", File.ReadAllLines(Path.Combine(_dir, "strategies.csv"))[1], StringComparison.Ordinal);
    }

    [Fact]
    public void WriteCsv_NaNMetric_EmptyCell()
    {
        var s = TestReports.Build(["Reactive"]).Strategies[0];
        var report = TestReports.Build(["Reactive"]) with { Strategies = [s with { GpuHours = double.NaN }] };

        ReportWriter.WriteCsv(report, _dir);

        Assert.StartsWith("Reactive,,90,", File.ReadAllLines(Path.Combine(_dir, "strategies.csv"))[1], StringComparison.Ordinal);
    }
}
