namespace SageServe.Planning.Forecasting;

/// <summary>
/// Seeded generator of per-minute diurnal traffic with a known structure, for tests and benchmarks:
/// level(t) = base · (1 + trend·t/day) · (1 + a·sin(2π(t − peak + 6 h)/day) + 0.3a·sin(4π t/day)), times
/// (1 + AR(1) noise with the given standard deviation and autocorrelation).
/// </summary>
public static class SyntheticTraffic
{
    private const int MinutesPerDay = 1440;

    /// <summary>Generates <paramref name="days"/> days of minutes.</summary>
    /// <param name="days">Number of days, ≥ 1.</param>
    /// <param name="seed">Seed of the noise; equal seeds give equal series.</param>
    /// <param name="options">Shape settings; defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is not positive.</exception>
    public static double[] Diurnal(int days, int seed, SyntheticTrafficOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        options ??= new SyntheticTrafficOptions();
        var random = new Random(seed);
        var n = days * MinutesPerDay;
        var series = new double[n];
        var a = options.DailyAmplitude;
        var peakMinute = options.PeakTimeOfDay.TotalMinutes;
        var rho = options.NoiseAutocorrelation;
        var innovationSd = options.NoiseFraction * Math.Sqrt(1 - (rho * rho));
        var noise = options.NoiseFraction * Gaussian(random);
        for (var t = 0; t < n; t++)
        {
            var dayFraction = t / (double)MinutesPerDay;
            var shape = 1 + (a * Math.Sin(2 * Math.PI * (t - peakMinute + (MinutesPerDay / 4.0)) / MinutesPerDay))
                + (0.3 * a * Math.Sin(4 * Math.PI * t / MinutesPerDay));
            var level = options.BasePromptTokensPerMinute * (1 + (options.TrendPerDay * dayFraction)) * shape;
            noise = (rho * noise) + (innovationSd * Gaussian(random));
            series[t] = Math.Max(0.0, level * (1 + noise));
        }

        return series;
    }

    /// <summary>Standard normal draw (Box–Muller) from a seeded generator.</summary>
    public static double Gaussian(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
