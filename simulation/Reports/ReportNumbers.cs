using System.Globalization;

namespace SageServe.Simulation.Reports;

/// <summary>How every report writer rounds and prints numbers, so JSON, CSV and HTML agree and stay byte-stable.</summary>
internal static class ReportNumbers
{
    /// <summary>Significant digits kept for doubles: enough for any metric, few enough to hide float noise.</summary>
    public const int SignificantDigits = 6;

    private const string RoundFormat = "G6";

    /// <summary>Rounds to <see cref="SignificantDigits"/>; non-finite values pass through; -0 becomes 0.</summary>
    public static double Round(double value)
    {
        if (!double.IsFinite(value))
        {
            return value;
        }

        if (value == 0)
        {
            return 0;
        }

        // Round-tripping through the G6 text is exactly "what a reader would see", which is the point.
        return double.Parse(value.ToString(RoundFormat, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Rounded, shortest invariant text; empty for NaN/±Infinity (CSV's "no value").</summary>
    public static string Csv(double value) =>
        double.IsFinite(value) ? Round(value).ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>Human text with <paramref name="format"/>; an em dash for NaN/±Infinity.</summary>
    public static string Human(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "—";

    /// <summary>A share (0–1) as a percentage with one decimal, or an em dash.</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? (share * 100).ToString("F1", CultureInfo.InvariantCulture) + " %" : "—";
}
