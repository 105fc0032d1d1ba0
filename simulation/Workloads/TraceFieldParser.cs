using System.Globalization;

namespace SageServe.Simulation.Workloads;

/// <summary>Field parsing and validation shared by the trace readers; every failure names file, line and field.</summary>
internal static class TraceFieldParser
{
    public static int Tokens(TraceLineReader r, ReadOnlySpan<char> text, string field, int max)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        {
            throw r.Error(field, IsAllDigits(text) && text.Length > 0 ? $"value too large: '{Clip(text)}'" : $"expected a token count, got '{Clip(text)}'");
        }

        return CheckTokens(r, v, field, max);
    }

    public static int CheckTokens(TraceLineReader r, long v, string field, int max)
    {
        if (v <= 0)
        {
            throw r.Error(field, $"must be at least 1, got {v}");
        }

        if (v > max)
        {
            throw r.Error(field, $"value too large: {v} tokens (limit {max})");
        }

        return (int)v;
    }

    public static long Id(TraceLineReader r, ReadOnlySpan<char> text, string field)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        {
            throw r.Error(field, IsAllDigits(text) && text.Length > 0 ? $"value too large: '{Clip(text)}'" : $"expected an integer id, got '{Clip(text)}'");
        }

        return v;
    }

    public static double Number(TraceLineReader r, ReadOnlySpan<char> text, string field)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw r.Error(field, $"expected a number, got '{Clip(text)}'");
        }

        return v;
    }

    /// <summary>Converts an arrival offset (in units of <paramref name="ticksPerUnit"/> ticks), rejecting negative and huge values.</summary>
    public static TimeSpan Arrival(TraceLineReader r, double value, double ticksPerUnit, string field, TimeSpan max)
    {
        if (value < 0)
        {
            throw r.Error(field, $"must not be negative, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        double ticks = Math.Round(value * ticksPerUnit);
        if (ticks > max.Ticks)
        {
            throw r.Error(field, $"value too large: {value.ToString(CultureInfo.InvariantCulture)} (limit {max.TotalDays:0} days)");
        }

        return new TimeSpan((long)ticks);
    }

    public static void CheckOrder(TraceLineReader r, TimeSpan arrival, TimeSpan previous, string field)
    {
        if (arrival < previous)
        {
            throw r.Error(field, $"arrival {arrival.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)} s is earlier than the previous {previous.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)} s (trace must be sorted)");
        }
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> t = text.TrimStart('-');
        foreach (char c in t)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string Clip(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");
}
