namespace SageServe.Planning.Forecasting;

/// <summary>
/// Per-phase (minute-of-day) profile of a series: the median of the same phase over the most recent seasons,
/// smoothed by a circular centred moving average. The median shrugs off one anomalous day; the smoothing removes
/// most of the per-minute noise the median keeps (7 samples per phase is not many).
/// </summary>
internal static class SeasonalProfile
{
    /// <summary>Minimum number of full seasons before a profile is trusted: with one, it would equal the data.</summary>
    public const int MinimumSeasons = 2;

    /// <summary>
    /// Profile indexed by absolute phase (index mod <paramref name="seasonLength"/>), or null when the history holds
    /// fewer than <see cref="MinimumSeasons"/> seasons.
    /// </summary>
    public static double[]? Estimate(ReadOnlySpan<double> history, int seasonLength, int maxSeasons, int smoothingWindow)
    {
        var n = history.Length;
        if (n < MinimumSeasons * seasonLength)
        {
            return null;
        }

        var raw = new double[seasonLength];
        Span<double> scratch = stackalloc double[Math.Max(1, maxSeasons + 1)];
        for (var phase = 0; phase < seasonLength; phase++)
        {
            // Newest occurrence of this phase, then step back a season at a time.
            var newest = n - 1 - ((n - 1 - phase) % seasonLength);
            var count = 0;
            for (var i = newest; i >= 0 && count < maxSeasons; i -= seasonLength)
            {
                scratch[count++] = history[i];
            }

            raw[phase] = Stats.MedianInPlace(scratch[..count]);
        }

        return Smooth(raw, smoothingWindow);
    }

    private static double[] Smooth(double[] raw, int window)
    {
        var s = raw.Length;
        var half = Math.Min(Math.Max(0, window / 2), (s - 1) / 2);
        if (half == 0)
        {
            return raw;
        }

        var smoothed = new double[s];
        var sum = 0.0;
        for (var k = -half; k <= half; k++)
        {
            sum += raw[((k % s) + s) % s];
        }

        var width = (2 * half) + 1;
        for (var phase = 0; phase < s; phase++)
        {
            smoothed[phase] = sum / width;
            sum -= raw[((phase - half) % s + s) % s];
            sum += raw[(phase + half + 1) % s];
        }

        return smoothed;
    }
}
