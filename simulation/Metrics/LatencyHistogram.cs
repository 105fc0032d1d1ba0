namespace SageServe.Simulation.Metrics;

/// <summary>
/// A fixed-memory latency histogram: log-spaced buckets of ~1% relative width from 100 µs to ~28 h, so percentiles
/// of millions of samples cost a few KiB and are exact to within 1%.
/// </summary>
public sealed class LatencyHistogram
{
    private const double MinSeconds = 1e-4;
    private const double Growth = 1.01;
    private static readonly double s_logGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[1400];

    /// <summary>Samples recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of samples in seconds.</summary>
    public double SumSeconds { get; private set; }

    /// <summary>Largest sample in seconds.</summary>
    public double MaxSeconds { get; private set; }

    /// <summary>Mean in seconds (0 when empty).</summary>
    public double MeanSeconds => Count == 0 ? 0 : SumSeconds / Count;

    /// <summary>Records one sample.</summary>
    public void Record(TimeSpan value) => Record(value.TotalSeconds);

    /// <summary>Records one sample in seconds (negative values count as zero).</summary>
    public void Record(double seconds)
    {
        seconds = Math.Max(0, seconds);
        _counts[Bucket(seconds)]++;
        Count++;
        SumSeconds += seconds;
        MaxSeconds = Math.Max(MaxSeconds, seconds);
    }

    /// <summary>Adds every sample of <paramref name="other"/>.</summary>
    public void Merge(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        SumSeconds += other.SumSeconds;
        MaxSeconds = Math.Max(MaxSeconds, other.MaxSeconds);
    }

    /// <summary>The <paramref name="quantile"/> (0–1) in seconds: the upper edge of its bucket, capped at the max.</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(Math.Clamp(quantile, 0, 1) * Count);
        rank = Math.Max(rank, 1);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), MaxSeconds);
            }
        }

        return MaxSeconds;
    }

    /// <summary>Share of samples ≤ <paramref name="seconds"/> (bucket resolution).</summary>
    public double FractionAtOrBelow(double seconds)
    {
        if (Count == 0)
        {
            return 1;
        }

        var last = Bucket(seconds);
        long below = 0;
        for (var i = 0; i <= last; i++)
        {
            below += _counts[i];
        }

        return (double)below / Count;
    }

    private static int Bucket(double seconds) =>
        seconds <= MinSeconds ? 0 : Math.Min(1399, 1 + (int)(Math.Log(seconds / MinSeconds) / s_logGrowth));

    private static double UpperEdge(int bucket) => MinSeconds * Math.Pow(Growth, bucket);
}
