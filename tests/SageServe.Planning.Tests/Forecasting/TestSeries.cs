using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

/// <summary>Seeded generators of series with known structure.</summary>
internal static class TestSeries
{
    /// <summary>ARMA process y_t = Σφ y_{t−i} + e_t + Σθ e_{t−j}, e ~ N(0, σ²), after a 200-sample burn-in.</summary>
    public static double[] Arma(int length, double[] ar, double[] ma, int seed, double sigma = 1.0, double mean = 0.0)
    {
        var random = new Random(seed);
        const int burnIn = 200;
        var total = length + burnIn;
        var y = new double[total];
        var e = new double[total];
        for (var t = 0; t < total; t++)
        {
            e[t] = sigma * SyntheticTraffic.Gaussian(random);
            var v = e[t];
            for (var i = 0; i < ar.Length && t - 1 - i >= 0; i++)
            {
                v += ar[i] * y[t - 1 - i];
            }

            for (var j = 0; j < ma.Length && t - 1 - j >= 0; j++)
            {
                v += ma[j] * e[t - 1 - j];
            }

            y[t] = v;
        }

        return y[burnIn..].Select(v => v + mean).ToArray();
    }

    /// <summary>An exactly periodic positive series: the same random day repeated.</summary>
    public static double[] Periodic(int days, int seasonLength, int seed)
    {
        var random = new Random(seed);
        var day = Enumerable.Range(0, seasonLength).Select(_ => 100 + (50 * random.NextDouble())).ToArray();
        return Enumerable.Range(0, days * seasonLength).Select(i => day[i % seasonLength]).ToArray();
    }

    /// <summary>Diurnal series with a strong trend for comparing seasonal models against naive ones.</summary>
    public static double[] TrendedDiurnal(int days, int seed) =>
        SyntheticTraffic.Diurnal(days, seed, new SyntheticTrafficOptions { TrendPerDay = 0.1, NoiseFraction = 0.08 });
}
