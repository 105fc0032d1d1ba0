using System.Globalization;
using System.Net;
using System.Text;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>Renders <see cref="WorkloadStats"/> as one HTML page with inline SVG line charts.</summary>
internal static class WorkloadStatsHtml
{
    private static readonly string[] s_palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    public static string Render(WorkloadStats stats, string title)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
          .Append(WebUtility.HtmlEncode(title))
          .Append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1000px}pre{background:#f6f6f6;padding:1em}svg{background:#fff;border:1px solid #ddd;margin:.5em 0}</style></head><body>\n<h1>")
          .Append(WebUtility.HtmlEncode(title)).Append("</h1>\n<pre>")
          .Append(WebUtility.HtmlEncode(stats.ToText().Split("\nhour")[0]))
          .Append("</pre>\n");
        Chart(sb, "Requests per hour by home region", "hour", stats.PerHourByRegion.Select(kv => (kv.Key, ToDoubles(kv.Value, stats.Hours))));
        Chart(sb, "Requests per hour by model", "hour", stats.PerHourByModel.Select(kv => (kv.Key, ToDoubles(kv.Value, stats.Hours))));
        Chart(sb, "Requests per hour by tier", "hour",
        [
            ("IW", ToDoubles(stats.PerHourByTier(Tier.Interactive), stats.Hours)),
            ("NIW", ToDoubles(stats.PerHourByTier(Tier.NonInteractive), stats.Hours)),
        ]);
        Chart(sb, "Requests per minute", "minute", [("all", [.. stats.PerMinute.Select(c => (double)c)])]);
        double[] quantiles = [.. Enumerable.Range(1, 99).Select(q => q / 100.0)];
        Chart(sb, "Token length percentiles (x: percentile)", "percentile",
        [
            ("prompt", [.. quantiles.Select(q => (double)stats.PromptTokens.Percentile(q))]),
            ("output", [.. quantiles.Select(q => (double)stats.OutputTokens.Percentile(q))]),
        ]);
        sb.Append("<pre>").Append(WebUtility.HtmlEncode("hour" + stats.ToText().Split("\nhour", 2).ElementAtOrDefault(1))).Append("</pre>\n");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static double[] ToDoubles(IReadOnlyList<long> series, int length) =>
        [.. Enumerable.Range(0, length).Select(i => i < series.Count ? (double)series[i] : 0)];

    private static void Chart(StringBuilder sb, string title, string xLabel, IEnumerable<(string Name, double[] Values)> series)
    {
        const double width = 900;
        const double height = 260;
        const double left = 60;
        const double bottom = 30;
        const double top = 24;
        var list = series.ToList();
        int points = list.Count == 0 ? 0 : list.Max(s => s.Values.Length);
        double max = list.Count == 0 || points == 0 ? 1 : Math.Max(1, list.Max(s => s.Values.DefaultIfEmpty(0).Max()));
        var c = CultureInfo.InvariantCulture;
        sb.Append(c, $"<h2>{WebUtility.HtmlEncode(title)}</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
        sb.Append(c, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - 10}\" y2=\"{height - bottom}\" stroke=\"#444\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#444\"/>\n");
        sb.Append(c, $"<text x=\"{left - 5}\" y=\"{top + 4}\" font-size=\"11\" text-anchor=\"end\">{max:N0}</text><text x=\"{left - 5}\" y=\"{height - bottom}\" font-size=\"11\" text-anchor=\"end\">0</text>\n");
        sb.Append(c, $"<text x=\"{(width + left) / 2}\" y=\"{height - 6}\" font-size=\"11\" text-anchor=\"middle\">{WebUtility.HtmlEncode(xLabel)} (0–{Math.Max(0, points - 1)})</text>\n");
        for (int s = 0; s < list.Count; s++)
        {
            string color = s_palette[s % s_palette.Length];
            sb.Append(c, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
            double[] values = list[s].Values;
            for (int i = 0; i < values.Length; i++)
            {
                double x = left + ((width - left - 10) * (points <= 1 ? 0 : (double)i / (points - 1)));
                double y = height - bottom - ((height - bottom - top) * values[i] / max);
                sb.Append(c, $"{x:F1},{y:F1} ");
            }

            sb.Append("\"/>\n");
            sb.Append(c, $"<text x=\"{left + 10 + (s * 110)}\" y=\"14\" font-size=\"12\" fill=\"{color}\">{WebUtility.HtmlEncode(list[s].Name)}</text>\n");
        }

        sb.Append("</svg>\n");
    }
}
