using System.Text;
using System.Text.RegularExpressions;
using SageServe.Simulation.Reports;

namespace SageServe.Simulation.Tests.Reports;

public sealed partial class ReportWriterHtmlTests
{
    internal const string HostileName = "<script>alert(1)</script>";

    internal static string Html(ExperimentReport report)
    {
        using var stream = new MemoryStream();
        ReportWriter.WriteHtml(report, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [GeneratedRegex("<svg[^>]*>(.*?)</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgRegex();

    [GeneratedRegex("<polyline[^>]*points=\"([^\"]*)\"")]
    private static partial Regex PolylineRegex();

    [GeneratedRegex("<rect [^>]*height=\"([0-9.]+)\"")]
    private static partial Regex RectRegex();

    [Fact]
    public void WriteHtml_ThreeStrategies_OneSvgPerChartEachWithData()
    {
        var html = Html(TestReports.Build(["Reactive", "LT-I", "LT-UA"]));

        var svgs = SvgRegex().Matches(html).Select(m => m.Groups[1].Value).ToList();
        // 2 bar charts, 3 instance charts (one per strategy), GPUs, NIW queue, arrivals, 4 latency CDFs.
        Assert.Equal(2 + 3 + 3 + 4, svgs.Count);
        foreach (var svg in svgs)
        {
            var polylines = PolylineRegex().Matches(svg).Select(m => m.Groups[1].Value).ToList();
            var rects = RectRegex().Matches(svg).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(polylines.Count > 0 || rects.Count > 0, "chart without data: " + svg[..Math.Min(200, svg.Length)]);
            Assert.All(polylines, p => Assert.True(p.Split(' ').Length >= 2, "polyline with < 2 points"));
            Assert.All(rects, h => Assert.True(h > 1, "empty bar"));
        }

        // Instance charts carry a polyline per region/model (3 × 2), latency charts one per strategy.
        Assert.Equal(6, PolylineRegex().Matches(svgs[2]).Count);
        Assert.Equal(3, PolylineRegex().Matches(svgs[^1]).Count);
    }

    [Fact]
    public void WriteHtml_Always_LabelsUnitsAndLegend()
    {
        var html = Html(TestReports.Build(["Reactive", "LT-UA"]));

        Assert.Contains("GPU-hours", html, StringComparison.Ordinal);
        Assert.Contains("cost (USD)", html, StringComparison.Ordinal);
        Assert.Contains("time since start (hours)", html, StringComparison.Ordinal);
        Assert.Contains("seconds (log scale)", html, StringComparison.Ordinal); // NIW completion spans 60 s … 8000 s
        Assert.Contains("requests at or below (%)", html, StringComparison.Ordinal);
        Assert.Contains("IW time to first token (TTFT)", html, StringComparison.Ordinal);
        Assert.Contains("NIW completion time", html, StringComparison.Ordinal);
        Assert.Contains(">eastus/llama2-70b<title>", html, StringComparison.Ordinal); // legend entry
        Assert.Contains("1,200,000 = 1,198,985 + 15 + 1,000 <span class=\"ok\">✓</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteHtml_HostileNames_Escaped()
    {
        var report = TestReports.Build([HostileName, "LT-UA"], extraModel: HostileName);
        report = report with { Workload = report.Workload with { Source = HostileName } };

        var html = Html(report);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteHtml_Always_NoExternalReferencesOrScript()
    {
        var html = Html(TestReports.Build(["Reactive", "LT-I", "LT-UA"]));

        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WriteHtml_SameReportTwice_ByteIdentical()
    {
        var a = Html(TestReports.Build(["Reactive", "LT-UA"]));
        var b = Html(TestReports.Build(["Reactive", "LT-UA"], reverseInsertion: true));

        Assert.Equal(a, b);
    }

    [Fact]
    public void WriteHtml_NoStrategiesAndNaNs_StillRenders()
    {
        var s = TestReports.Build(["Reactive"]).Strategies[0];
        var nan = s with
        {
            GpuHours = double.NaN,
            Iw = s.Iw with { SloAttainment = double.NaN },
            Latency = new LatencyDistributions([], new Dictionary<string, IReadOnlyList<double>>()),
        };

        var empty = Html(TestReports.Build([]));
        var withNaN = Html(TestReports.Build(["Reactive"]) with { Strategies = [nan] });

        Assert.Contains("</html>", empty, StringComparison.Ordinal);
        Assert.Contains("—", withNaN, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", withNaN, StringComparison.Ordinal);
    }
}
