namespace SageServe.Planning.Forecasting;

/// <summary>Small numeric helpers (kept here so the planning project stays dependency-free).</summary>
internal static class Stats
{
    public static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return values.IsEmpty ? 0.0 : sum / values.Length;
    }

    /// <summary>Median of the values; sorts <paramref name="scratch"/> in place.</summary>
    public static double MedianInPlace(Span<double> scratch)
    {
        scratch.Sort();
        var n = scratch.Length;
        return n % 2 == 1 ? scratch[n / 2] : 0.5 * (scratch[(n / 2) - 1] + scratch[n / 2]);
    }

    /// <summary>Empirical quantile with linear interpolation between order statistics; sorts in place.</summary>
    public static double QuantileInPlace(Span<double> scratch, double q)
    {
        scratch.Sort();
        var pos = q * (scratch.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, scratch.Length - 1);
        return scratch[lo] + ((pos - lo) * (scratch[hi] - scratch[lo]));
    }

    /// <summary>Standard normal CDF.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2.0));

    /// <summary>Standard normal quantile by bisection on the CDF (|error| well below 1e-6, which is plenty here).</summary>
    public static double NormalQuantile(double p)
    {
        if (p <= 0.5)
        {
            return p == 0.5 ? 0.0 : -NormalQuantile(1.0 - p);
        }

        double lo = 0.0, hi = 10.0;
        for (var i = 0; i < 60; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (NormalCdf(mid) < p)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    /// <summary>Complementary error function, Chebyshev-fitted exponential form (fractional error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = -(z * z) - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418
            + (t * (-0.18628806 + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587
            + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var r = t * Math.Exp(poly);
        return x >= 0 ? r : 2.0 - r;
    }
}
