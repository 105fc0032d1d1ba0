using System.Globalization;
using System.Net;
using System.Text;

namespace SageServe.Simulation.Reports;

/// <summary>One polyline of a line chart; points with a non-finite coordinate are skipped.</summary>
/// <param name="Name">Legend text (escaped when written).</param>
/// <param name="Points">(x, y) in data units.</param>
/// <param name="Color">CSS colour.</param>
/// <param name="Dash">SVG dash pattern, or null for a solid line.</param>
/// <param name="Step">Draw as a staircase (the value holds until the next point): right for counts like instances.</param>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, string Color, string? Dash = null, bool Step = false);

/// <summary>One bar; <paramref name="Part"/> is drawn from the baseline inside it (e.g. the wasted share).</summary>
internal sealed record BarItem(string Label, double Value, string Color, double? Part = null);

/// <summary>
/// Self-contained inline SVG charts (no script, no external references): axes with ticks and units, a legend,
/// and escaped text everywhere, because series names come from user traces.
/// </summary>
internal static class SvgChart
{
    private const double Width = 960;
    private const double Left = 78;
    private const double Right = 24;
    private const double Top = 14;
    private const double PlotHeight = 240;
    private const double AxisBand = 46;
    private const double LegendRowHeight = 18;
    private const double LegendColumnWidth = 220;
    private const int LegendNameChars = 30;
    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;

    private static readonly string[] s_palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The colour of the <paramref name="index"/>-th series.</summary>
    public static string ColorAt(int index) => s_palette[index % s_palette.Length];

    /// <summary>A dash pattern that tells apart series sharing a colour once the palette wraps.</summary>
    public static string? DashAt(int index) => (index / s_palette.Length) switch
    {
        0 => null,
        1 => "7 3",
        _ => "2 2",
    };

    /// <summary>
    /// Appends a line chart; the y axis starts at 0 and ends at a round number above the data (or at
    /// <paramref name="yMax"/>); a linear x axis starts at <paramref name="xFrom"/> when given, else at the data.
    /// </summary>
    public static void Line(StringBuilder sb, string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, bool logX = false, double? yMax = null, double? xFrom = null)
    {
        var finite = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!logX || p.X > 0)).ToList();
        var plotWidth = Width - Left - Right;
        double xMin, xMax;
        IReadOnlyList<double> xTicks;
        if (logX)
        {
            var lo = finite.Count == 0 ? -1 : Math.Floor(Math.Log10(finite.Min(p => p.X)));
            var hi = finite.Count == 0 ? 1 : Math.Ceiling(Math.Log10(finite.Max(p => p.X)));
            hi = Math.Max(hi, lo + 1);
            (xMin, xMax) = (lo, hi);
            xTicks = [.. Enumerable.Range(0, (int)(hi - lo) + 1).Select(i => lo + i)];
        }
        else
        {
            xMin = xFrom ?? (finite.Count == 0 ? 0 : finite.Min(p => p.X));
            xMax = finite.Count == 0 ? 1 : finite.Max(p => p.X);
            if (xMax <= xMin)
            {
                xMax = xMin + 1;
            }

            xTicks = NiceTicks(xMin, xMax, 10);
        }

        var top = yMax ?? NiceCeiling(finite.Count == 0 ? 1 : finite.Max(p => p.Y));
        var yTicks = NiceTicks(0, top, 5);
        double Px(double x) => Left + (plotWidth * ((logX ? Math.Log10(Math.Max(x, Math.Pow(10, xMin))) : x) - xMin) / (xMax - xMin));
        double Py(double y) => Top + PlotHeight - (PlotHeight * Math.Clamp(y, 0, top) / top);

        Open(sb, title, series.Count);
        Axes(sb, xLabel, yLabel);
        foreach (var t in yTicks)
        {
            var y = Py(t);
            sb.Append(s_c, $"<line class=\"grid\" x1=\"{Left:F1}\" y1=\"{y:F1}\" x2=\"{Width - Right:F1}\" y2=\"{y:F1}\"/><text x=\"{Left - 6:F1}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Tick(t)}</text>\n");
        }

        foreach (var t in xTicks)
        {
            var x = logX ? Left + (plotWidth * (t - xMin) / (xMax - xMin)) : Px(t);
            var label = logX ? Tick(Math.Pow(10, t)) : Tick(t);
            sb.Append(s_c, $"<line class=\"grid\" x1=\"{x:F1}\" y1=\"{Top:F1}\" x2=\"{x:F1}\" y2=\"{Top + PlotHeight:F1}\"/><text x=\"{x:F1}\" y=\"{Top + PlotHeight + 15:F1}\" text-anchor=\"middle\">{label}</text>\n");
        }

        if (finite.Count == 0)
        {
            sb.Append(s_c, $"<text x=\"{Left + (plotWidth / 2):F1}\" y=\"{Top + (PlotHeight / 2):F1}\" text-anchor=\"middle\">no data</text>\n");
        }

        foreach (var s in series)
        {
            var points = new StringBuilder();
            double? previousPy = null;
            foreach (var (x, y) in s.Points)
            {
                if (double.IsFinite(x) && double.IsFinite(y) && (!logX || x > 0))
                {
                    if (s.Step && previousPy is { } held && held != Py(y))
                    {
                        points.Append(s_c, $"{Px(x):F1},{held:F1} ");
                    }

                    points.Append(s_c, $"{Px(x):F1},{Py(y):F1} ");
                    previousPy = Py(y);
                }
            }

            if (points.Length > 0)
            {
                sb.Append(s_c, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\"{DashAttribute(s.Dash)} points=\"{points.ToString().TrimEnd()}\"><title>{Escape(s.Name)}</title></polyline>\n");
            }
        }

        Legend(sb, series.Select(s => (s.Name, s.Color, s.Dash, false)).ToList());
        Close(sb);
    }

    /// <summary>Appends a bar chart with the value printed above each bar and <paramref name="partLabel"/> naming the inner part.</summary>
    public static void Bars(StringBuilder sb, string title, string yLabel, IReadOnlyList<BarItem> bars, string valueFormat, string? partLabel = null)
    {
        var plotWidth = Width - Left - Right;
        var top = NiceCeiling(bars.Select(b => b.Value).Where(double.IsFinite).DefaultIfEmpty(1).Max());
        double Py(double y) => Top + PlotHeight - (PlotHeight * Math.Clamp(y, 0, top) / top);
        var legend = partLabel is null ? [] : new List<(string, string, string?, bool)> { (partLabel, "#333", null, true) };
        Open(sb, title, legend.Count);
        Axes(sb, string.Empty, yLabel);
        foreach (var t in NiceTicks(0, top, 5))
        {
            sb.Append(s_c, $"<line class=\"grid\" x1=\"{Left:F1}\" y1=\"{Py(t):F1}\" x2=\"{Width - Right:F1}\" y2=\"{Py(t):F1}\"/><text x=\"{Left - 6:F1}\" y=\"{Py(t) + 4:F1}\" text-anchor=\"end\">{Tick(t)}</text>\n");
        }

        var slot = plotWidth / Math.Max(1, bars.Count);
        var barWidth = Math.Min(140, slot * 0.6);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var x = Left + (slot * i) + ((slot - barWidth) / 2);
            var value = double.IsFinite(b.Value) ? Math.Max(0, b.Value) : 0;
            var y = Py(value);
            sb.Append(s_c, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{barWidth:F1}\" height=\"{Math.Max(0.5, Top + PlotHeight - y):F1}\" fill=\"{b.Color}\"><title>{Escape(b.Label)}: {ReportNumbers.Human(b.Value, valueFormat)}</title></rect>\n");
            if (b.Part is { } part && double.IsFinite(part) && part > 0)
            {
                var py = Py(Math.Min(part, value));
                sb.Append(s_c, $"<rect class=\"part\" x=\"{x:F1}\" y=\"{py:F1}\" width=\"{barWidth:F1}\" height=\"{Top + PlotHeight - py:F1}\"><title>{Escape(partLabel ?? string.Empty)}: {ReportNumbers.Human(part, valueFormat)}</title></rect>\n");
            }

            sb.Append(s_c, $"<text x=\"{x + (barWidth / 2):F1}\" y=\"{y - 5:F1}\" text-anchor=\"middle\">{ReportNumbers.Human(b.Value, valueFormat)}</text>\n");
            sb.Append(s_c, $"<text x=\"{x + (barWidth / 2):F1}\" y=\"{Top + PlotHeight + 16:F1}\" text-anchor=\"middle\">{Escape(Shorten(b.Label))}</text>\n");
        }

        Legend(sb, legend);
        Close(sb);
    }

    /// <summary>HTML/XML-escapes text for element content and attribute values.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>0, then 1/2/5 × 10^k steps covering [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal static IReadOnlyList<double> NiceTicks(double min, double max, int target)
    {
        var step = NiceStep((max - min) / Math.Max(1, target));
        var first = Math.Ceiling(min / step) * step;
        var ticks = new List<double>();
        for (var v = first; v <= max + (step * 1e-9); v += step)
        {
            ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        }

        return ticks;
    }

    private static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var f = rough / magnitude;
        return magnitude * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
    }

    /// <summary>A round number at or above <paramref name="max"/> (1 when there is nothing positive).</summary>
    internal static double NiceCeiling(double max)
    {
        if (!(max > 0) || !double.IsFinite(max))
        {
            return 1;
        }

        var step = NiceStep(max / 5);
        return Math.Ceiling(max / step) * step;
    }

    private static string Tick(double v) => Math.Abs(v) >= 1e6 ? v.ToString("0.###E0", s_c) : v.ToString("0.####", s_c);

    private static string DashAttribute(string? dash) => dash is null ? string.Empty : $" stroke-dasharray=\"{dash}\"";

    private static string Shorten(string name) => name.Length <= LegendNameChars ? name : string.Concat(name.AsSpan(0, LegendNameChars - 1), "…");

    private static int LegendRows(int items) => items == 0 ? 0 : (int)Math.Ceiling(items / Math.Floor((Width - Left) / LegendColumnWidth));

    private static void Open(StringBuilder sb, string title, int legendItems)
    {
        var height = Top + PlotHeight + AxisBand + (LegendRows(legendItems) * LegendRowHeight) + 6;
        sb.Append(s_c, $"<figure><figcaption>{Escape(title)}</figcaption>\n<svg class=\"chart\" width=\"{Width:F0}\" height=\"{height:F0}\" viewBox=\"0 0 {Width:F0} {height:F0}\" role=\"img\" aria-label=\"{Escape(title)}\">\n");
    }

    private static void Close(StringBuilder sb) => sb.Append("</svg></figure>\n");

    private static void Axes(StringBuilder sb, string xLabel, string yLabel)
    {
        var bottom = Top + PlotHeight;
        sb.Append(s_c, $"<line class=\"axis\" x1=\"{Left:F1}\" y1=\"{bottom:F1}\" x2=\"{Width - Right:F1}\" y2=\"{bottom:F1}\"/><line class=\"axis\" x1=\"{Left:F1}\" y1=\"{Top:F1}\" x2=\"{Left:F1}\" y2=\"{bottom:F1}\"/>\n");
        sb.Append(s_c, $"<text class=\"label\" x=\"{Left + ((Width - Left - Right) / 2):F1}\" y=\"{bottom + 34:F1}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        sb.Append(s_c, $"<text class=\"label\" transform=\"translate(16 {Top + (PlotHeight / 2):F1}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n");
    }

    private static void Legend(StringBuilder sb, IReadOnlyList<(string Name, string Color, string? Dash, bool Box)> items)
    {
        var perRow = (int)Math.Floor((Width - Left) / LegendColumnWidth);
        for (var i = 0; i < items.Count; i++)
        {
            var (name, color, dash, box) = items[i];
            var x = Left + (LegendColumnWidth * (i % perRow));
            var y = Top + PlotHeight + AxisBand + (LegendRowHeight * (i / perRow)) + 8;
            if (box)
            {
                sb.Append(s_c, $"<rect class=\"part\" x=\"{x:F1}\" y=\"{y - 9:F1}\" width=\"22\" height=\"10\"/>");
            }
            else
            {
                sb.Append(s_c, $"<line x1=\"{x:F1}\" y1=\"{y - 4:F1}\" x2=\"{x + 22:F1}\" y2=\"{y - 4:F1}\" stroke=\"{color}\" stroke-width=\"3\"{DashAttribute(dash)}/>");
            }

            sb.Append(s_c, $"<text x=\"{x + 28:F1}\" y=\"{y:F1}\">{Escape(Shorten(name))}<title>{Escape(name)}</title></text>\n");
        }
    }
}
