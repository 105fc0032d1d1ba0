using System.Globalization;
using System.Text;

namespace SageServe.Simulation.Reports;

/// <summary>
/// Renders a report as one self-contained HTML page: inline CSS and SVG, no script, no external references.
/// Every chart compares strategies with the same colour per strategy throughout the page.
/// </summary>
internal static class ReportHtml
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1000px;color:#222;padding:0 1em}" +
        "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ccc}" +
        "table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}" +
        "th:first-child,td:first-child{text-align:left}thead th{background:#f0f0f0}" +
        "figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.2em}" +
        "svg.chart{background:#fff;border:1px solid #ddd;max-width:100%;height:auto;font-size:12px}" +
        "svg .axis{stroke:#444}svg .grid{stroke:#e6e6e6}svg .label{font-size:13px;fill:#333}" +
        "svg .part{fill:#333;fill-opacity:.45}.bad{color:#b00020;font-weight:600}.ok{color:#1b7d2c}" +
        "dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px}dt{font-weight:600}dd{margin:0}";

    private static readonly (string Key, string Title)[] s_knownLatency =
    [
        ("interactive.ttft", "IW time to first token (TTFT)"),
        ("interactive.tbt", "IW mean time between tokens (TBT)"),
        ("interactive.e2e", "IW end-to-end latency (E2E)"),
        ("non-interactive.queue", "NIW queueing delay"),
        ("non-interactive.completion", "NIW completion time"),
    ];

    public static string Render(ExperimentReport r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
          .Append("<title>SageServe experiment report</title><style>").Append(Style).Append("</style></head><body>\n")
          .Append("<h1>SageServe experiment report</h1>\n");
        Overview(sb, r);
        Headline(sb, r);
        LatencyTable(sb, r);
        sb.Append("<h2>GPU-hours and cost</h2>\n");
        SvgChart.Bars(sb, "GPU-hours held per strategy (dark part: wasted)", "GPU-hours",
            [.. r.Strategies.Select((s, i) => new BarItem(s.Name, s.GpuHours, SvgChart.ColorAt(i), s.WastedGpuHours))], "N1", "wasted GPU-hours");
        SvgChart.Bars(sb, "Cost per strategy", "cost (USD)",
            [.. r.Strategies.Select((s, i) => new BarItem(s.Name, s.CostUsd, SvgChart.ColorAt(i)))], "N0");
        Instances(sb, r);
        Totals(sb, r);
        Latency(sb, r);
        Slices(sb, r);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Overview(StringBuilder sb, ExperimentReport r)
    {
        var w = r.Workload;
        var c = CultureInfo.InvariantCulture;
        sb.Append("<dl>");
        Pair(sb, "Workload", w.Source);
        Pair(sb, "Requests", w.Requests.ToString("N0", c));
        Pair(sb, "Length", ReportNumbers.Human(w.Days, "0.##") + (w.Days == 1 ? " day" : " days"));
        Pair(sb, "Non-interactive share", ReportNumbers.Percent(w.NonInteractiveShare));
        Pair(sb, "Burst variant", w.Burst ? "yes" : "no");
        Pair(sb, "Seed", r.Seed.ToString(c));
        Pair(sb, "Strategies", string.Join(", ", r.Strategies.Select(s => s.Name)));
        Pair(sb, "Schema version", r.SchemaVersion.ToString(c));
        sb.Append("</dl>\n");
    }

    private static void Headline(StringBuilder sb, ExperimentReport r)
    {
        sb.Append("<h2>Headline</h2>\n");
        Table(sb,
            ["Strategy", "GPU-hours", "Wasted GPU-hours", "Cost (USD)", "Scaling events", "IW SLO attainment", "NIW deadline attainment", "NIW missed deadlines", "Accounting (arrived = completed + rejected + running)"],
            r.Strategies.Select(s => new[]
            {
                Esc(s.Name), H(s.GpuHours, "N1"), H(s.WastedGpuHours, "N1"), H(s.CostUsd, "N0"), N(s.ScalingEvents.Total),
                ReportNumbers.Percent(s.Iw.SloAttainment), ReportNumbers.Percent(s.Niw.DeadlineAttainment), N(s.Niw.MissedDeadlines),
                Books(s.Accounting),
            }));
        sb.Append("<p>Rejections by reason and tier:</p>\n");
        Table(sb,
            ["Strategy", "IW arrived / completed / rejected / running", "NIW arrived / completed / rejected / running", "Rejected by reason", "New VMs", "Reclaims", "Swaps", "Releases"],
            r.Strategies.Select(s => new[]
            {
                Esc(s.Name), Tier(s.Accounting.Interactive), Tier(s.Accounting.NonInteractive),
                s.Accounting.RejectedByReason.Count == 0 ? "none" : Esc(string.Join(", ", s.Accounting.RejectedByReason.Select(kv => $"{kv.Key}: {kv.Value.ToString(CultureInfo.InvariantCulture)}"))),
                N(s.ScalingEvents.NewVms), N(s.ScalingEvents.Reclaims), N(s.ScalingEvents.Swaps), N(s.ScalingEvents.Releases),
            }));
    }

    private static void LatencyTable(StringBuilder sb, ExperimentReport r)
    {
        sb.Append("<h2>Latency percentiles (seconds)</h2>\n");
        Table(sb,
            ["Strategy", "TTFT p50", "p95", "p99", "TBT p50", "p95", "p99", "E2E p50", "p95", "p99", "NIW queue p50", "p95", "p99", "NIW completion p95"],
            r.Strategies.Select(s => new[]
            {
                Esc(s.Name), S(s.Iw.TtftP50S), S(s.Iw.TtftP95S), S(s.Iw.TtftP99S), S(s.Iw.TbtP50S), S(s.Iw.TbtP95S), S(s.Iw.TbtP99S),
                S(s.Iw.E2eP50S), S(s.Iw.E2eP95S), S(s.Iw.E2eP99S), S(s.Niw.QueueDelayP50S), S(s.Niw.QueueDelayP95S), S(s.Niw.QueueDelayP99S), S(s.Niw.CompletionP95S),
            }));
    }

    private static void Instances(StringBuilder sb, ExperimentReport r)
    {
        sb.Append("<h2>Serving instances over time</h2>\n");
        var keys = r.Strategies.SelectMany(s => s.Series.Instances.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        // One y scale for every strategy, so the charts compare at a glance.
        var yMax = SvgChart.NiceCeiling(r.Strategies.SelectMany(s => s.Series.Instances.Values).SelectMany(v => v).Select(v => (double)v).DefaultIfEmpty(1).Max());
        foreach (var s in r.Strategies)
        {
            // Colour by key position across the whole report, so a region/model keeps its colour in every chart.
            var series = s.Series.Instances.Select(kv =>
            {
                var k = keys.IndexOf(kv.Key);
                return new ChartSeries(kv.Key, SampledPoints(kv.Value.Select(v => (double)v).ToList(), s.Series.BucketSeconds), SvgChart.ColorAt(k), SvgChart.DashAt(k), Step: true);
            }).ToList();
            SvgChart.Line(sb, $"{s.Name}: serving instances per region/model", "time since start (hours)", "instances", series, yMax: yMax, xFrom: 0);
        }
    }

    private static void Totals(StringBuilder sb, ExperimentReport r)
    {
        sb.Append("<h2>GPUs held and NIW queue over time</h2>\n");
        SvgChart.Line(sb, "GPUs held, all regions (all VM states)", "time since start (hours)", "GPUs",
            PerStrategy(r, s => Sum(s.Series.Gpus.Values.Select(v => v.Select(x => (double)x).ToList())), sampled: true), xFrom: 0);
        SvgChart.Line(sb, "NIW queue depth, all regions", "time since start (hours)", "queued NIW requests",
            PerStrategy(r, s => Sum(s.Series.NiwQueueDepth.Values.Select(v => v.Select(x => (double)x).ToList())), sampled: true), xFrom: 0);
        if (r.Strategies.Count > 0)
        {
            // Every strategy replays the same workload; differences here would mean the replay itself differs.
            var first = r.Strategies[0];
            var tiers = first.Series.Arrivals.Select((kv, i) => new ChartSeries(kv.Key,
                BucketPoints(kv.Value.Select(v => (double)v).ToList(), first.Series.BucketSeconds, atEnd: false), SvgChart.ColorAt(i))).ToList();
            SvgChart.Line(sb, $"Arrivals per {first.Series.BucketSeconds.ToString(CultureInfo.InvariantCulture)} s bucket by tier ({first.Name})", "time since start (hours)", "requests per bucket", tiers, xFrom: 0);
        }
    }

    private static void Latency(StringBuilder sb, ExperimentReport r)
    {
        sb.Append("<h2>Latency distributions (CDF)</h2>\n");
        var present = r.Strategies.SelectMany(s => s.Latency.Series.Keys).Distinct().ToHashSet(StringComparer.Ordinal);
        var ordered = s_knownLatency.Where(k => present.Contains(k.Key)).ToList();
        ordered.AddRange(present.Where(k => s_knownLatency.All(x => x.Key != k)).Order(StringComparer.Ordinal).Select(k => (k, k)));
        foreach (var (key, title) in ordered)
        {
            var series = new List<ChartSeries>();
            for (var i = 0; i < r.Strategies.Count; i++)
            {
                var s = r.Strategies[i];
                if (s.Latency.Series.TryGetValue(key, out var seconds))
                {
                    var points = seconds.Zip(s.Latency.Quantiles, (x, q) => (x, q * 100)).ToList();
                    series.Add(new ChartSeries(s.Name, points, SvgChart.ColorAt(i)));
                }
            }

            var xs = series.SelectMany(s => s.Points).Select(p => p.X).Where(x => double.IsFinite(x) && x > 0).ToList();
            var logX = xs.Count > 0 && xs.Max() / xs.Min() > 50;
            SvgChart.Line(sb, title, logX ? "seconds (log scale)" : "seconds", "requests at or below (%)", series, logX, yMax: 100);
        }
    }

    private static void Slices(StringBuilder sb, ExperimentReport r)
    {
        sb.Append("<h2>Per region and per model</h2>\n");
        foreach (var s in r.Strategies)
        {
            sb.Append("<details><summary>").Append(Esc(s.Name)).Append("</summary>\n");
            foreach (var (kind, slices) in new[] { ("Region", s.ByRegion), ("Model", s.ByModel) })
            {
                Table(sb,
                    [kind, "GPU-hours", "IW SLO attainment", "IW TTFT p95 (s)", "NIW deadline attainment", "NIW completion p95 (s)", "Accounting"],
                    slices.Select(x => new[]
                    {
                        Esc(x.Name), H(x.GpuHours, "N1"), ReportNumbers.Percent(x.Iw.SloAttainment), S(x.Iw.TtftP95S),
                        ReportNumbers.Percent(x.Niw.DeadlineAttainment), S(x.Niw.CompletionP95S), Books(x.Accounting),
                    }));
            }

            sb.Append("</details>\n");
        }
    }

    private static List<ChartSeries> PerStrategy(ExperimentReport r, Func<StrategyReport, IReadOnlyList<double>> values, bool sampled) =>
        [.. r.Strategies.Select((s, i) => new ChartSeries(s.Name, BucketPoints(values(s), s.Series.BucketSeconds, sampled), SvgChart.ColorAt(i), Step: sampled))];

    private static List<(double X, double Y)> SampledPoints(IReadOnlyList<double> values, int bucketSeconds) =>
        BucketPoints(values, bucketSeconds, atEnd: true);

    // Instantaneous series are sampled at each bucket's end; counts belong to the bucket's start.
    private static List<(double X, double Y)> BucketPoints(IReadOnlyList<double> values, int bucketSeconds, bool atEnd) =>
        [.. values.Select((v, i) => (((i + (atEnd ? 1 : 0)) * (double)bucketSeconds) / 3600, v))];

    private static double[] Sum(IEnumerable<IReadOnlyList<double>> series)
    {
        var list = series.ToList();
        var total = new double[list.Select(s => s.Count).DefaultIfEmpty(0).Max()];
        foreach (var s in list)
        {
            for (var i = 0; i < s.Count; i++)
            {
                total[i] += s[i];
            }
        }

        return total;
    }

    private static void Table(StringBuilder sb, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        sb.Append("<table><thead><tr>");
        foreach (var h in header)
        {
            sb.Append("<th>").Append(Esc(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
            {
                sb.Append("<td>").Append(cell).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</tbody></table>\n");
    }

    private static void Pair(StringBuilder sb, string term, string value) =>
        sb.Append("<dt>").Append(Esc(term)).Append("</dt><dd>").Append(Esc(value)).Append("</dd>");

    private static string Books(AccountingSummary a)
    {
        var off = a.Arrived - a.Completed - a.Rejected - a.Running;
        var text = string.Create(CultureInfo.InvariantCulture, $"{a.Arrived:N0} = {a.Completed:N0} + {a.Rejected:N0} + {a.Running:N0}");
        return off == 0
            ? $"{text} <span class=\"ok\">✓</span>"
            : string.Create(CultureInfo.InvariantCulture, $"{text} <span class=\"bad\">✗ off by {off:N0}</span>");
    }

    private static string Tier(TierAccounting t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t.Arrived:N0} / {t.Completed:N0} / {t.Rejected:N0} / {t.Running:N0}");

    private static string Esc(string text) => SvgChart.Escape(text);

    private static string H(double value, string format) => ReportNumbers.Human(value, format);

    private static string S(double seconds) => ReportNumbers.Human(seconds, "0.###");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
