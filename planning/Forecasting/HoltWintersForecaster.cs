namespace SageServe.Planning.Forecasting;

/// <summary>
/// Additive Holt–Winters (level, trend, daily season) with smoothing parameters chosen by the smallest one-step
/// sum of squared errors over a grid (α ∈ {0.02…0.9}, β ∈ {0, 0.001, 0.01, 0.05}, γ ∈ {0.02…0.5}; 192 points).
/// States are initialised from the first two seasons of the fit window. With fewer than two seasons the seasonal
/// term is dropped (Holt's linear trend); with fewer than 30 minutes the last value is repeated.
/// The band is point + z_q · σ_h. σ_h is the root-mean-square h-step error of in-sample forecasts made every
/// 30 minutes from the fitted smoother (the model formula σ²(1 + Σⱼ₌₁..ₕ₋₁ cⱼ²), cⱼ = α(1 + βj) + γ(1 − α)·[j mod s = 0],
/// assumes the level is a random walk and is far too wide for stationary noise around a daily shape); the formula
/// is used only without enough in-sample origins, and to extend the calibrated σ_h beyond one season. The same
/// in-sample forecasts give each hour's window-maximum distribution (<see cref="Forecast.PlannerHours"/>): the
/// forecast window maximum plus the empirical quantiles of "actual − forecast" window maxima.
/// </summary>
public sealed class HoltWintersForecaster : IForecaster
{
    private const int MinimumFitLength = 30;
    private static readonly double[] s_alphas = [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];
    private static readonly double[] s_betas = [0.0, 0.001, 0.01, 0.05];
    private static readonly double[] s_gammas = [0.02, 0.05, 0.1, 0.2, 0.35, 0.5];

    private readonly int _seasonMinutes;
    private readonly int _windowMinutes;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="options">Settings; defaults (daily season, 7-day window) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public HoltWintersForecaster(HoltWintersOptions? options = null)
    {
        options ??= new HoltWintersOptions();
        options.Validate();
        _seasonMinutes = (int)Math.Round(options.SeasonLength.TotalMinutes);
        _windowMinutes = (int)Math.Round(options.FitWindow.TotalMinutes);
    }

    /// <inheritdoc />
    public string Name => "holt-winters";

    /// <inheritdoc />
    public Forecast Forecast(ReadOnlySpan<double> history, int stepsAhead, double upperQuantile)
    {
        ForecastGuard.Validate(history, stepsAhead, upperQuantile);
        var n = history.Length;
        var window = history[Math.Max(0, n - _windowMinutes)..];
        var z = Stats.NormalQuantile(upperQuantile);
        var upper = new double[stepsAhead];
        if (ForecastGuard.IsConstant(window))
        {
            return ForecastGuard.Flat(window[^1], stepsAhead, upperQuantile);
        }

        if (window.Length < MinimumFitLength)
        {
            var (rwPoint, rwSe) = RandomWalk.Forecast(window, stepsAhead);
            for (var h = 0; h < stepsAhead; h++)
            {
                upper[h] = rwPoint[h] + (z * rwSe[h]);
            }

            return ForecastGuard.Finish(rwPoint, upper, upperQuantile);
        }

        var s = window.Length >= 2 * _seasonMinutes ? _seasonMinutes : 0;
        var state = new Smoother(s);
        var (alpha, beta, gamma) = (s_alphas[0], s_betas[0], s_gammas[0]);
        var best = double.PositiveInfinity;
        foreach (var a in s_alphas)
        {
            foreach (var b in s_betas)
            {
                foreach (var g in s == 0 ? [0.0] : s_gammas)
                {
                    var sse = state.Run(window, a, b, g);
                    if (sse < best)
                    {
                        (best, alpha, beta, gamma) = (sse, a, b, g);
                    }
                }
            }
        }

        var calibrated = s == 0 ? 0 : Math.Min(stepsAhead, s);
        var finalSse = state.Run(window, alpha, beta, gamma, calibrated);
        var sigma2 = finalSse / Math.Max(1, state.ErrorCount);
        var point = new double[stepsAhead];
        var modelSd = new double[stepsAhead];
        var cumulative = 0.0;
        for (var h = 0; h < stepsAhead; h++)
        {
            // Phase is taken from the window index so it lines up with how the states were updated.
            var season = s == 0 ? 0.0 : state.Seasonal[(window.Length + h) % s];
            point[h] = state.Level + ((h + 1) * state.Trend) + season;
            if (h > 0)
            {
                var c = (alpha * (1 + (beta * h))) + (s > 0 && h % s == 0 ? gamma * (1 - alpha) : 0.0);
                cumulative += c * c;
            }

            modelSd[h] = Math.Sqrt(sigma2 * (1 + cumulative));
        }

        var sd = BandStandardDeviations(modelSd, state.MultiStepRms());
        for (var h = 0; h < stepsAhead; h++)
        {
            upper[h] = point[h] + (z * sd[h]);
        }

        var excess = state.WindowMaxExcess();
        return ForecastGuard.Finish(
            point, upper, upperQuantile, excess is null ? null : WindowMaxDistribution.FromExcess(point, excess, upperQuantile));
    }

    /// <summary>Empirical h-step error scale where calibrated, extended (or replaced) by the model formula.</summary>
    private static double[] BandStandardDeviations(double[] modelSd, double[]? empiricalRms)
    {
        if (empiricalRms is null)
        {
            return modelSd;
        }

        var sd = new double[modelSd.Length];
        var running = 0.0;
        for (var h = 0; h < sd.Length; h++)
        {
            var value = h < empiricalRms.Length
                ? empiricalRms[h]
                : empiricalRms[^1] * (modelSd[h] / Math.Max(modelSd[empiricalRms.Length - 1], 1e-300));

            // Uncertainty cannot shrink with the horizon; the running maximum irons out sampling wiggles.
            running = Math.Max(running, value);
            sd[h] = running;
        }

        return sd;
    }

    /// <summary>Reusable state buffers so the parameter grid does not allocate per evaluation.</summary>
    private sealed class Smoother(int seasonLength)
    {
        private const int OriginStrideMinutes = 30;
        private const int MinimumOrigins = 12;
        private double[] _errorSquares = [];
        private List<double>[] _windowMaxExcess = [];
        private int _origins;

        public double[] Seasonal { get; } = new double[seasonLength];

        public double Level { get; private set; }

        public double Trend { get; private set; }

        public int ErrorCount { get; private set; }

        /// <summary>
        /// Runs the recursions over <paramref name="y"/>; returns the one-step SSE after initialisation. When
        /// <paramref name="calibrationSteps"/> is positive, also collects squared h-step errors (h ≤ that) of forecasts
        /// made every 30 minutes once the states no longer see their initialisation data.
        /// </summary>
        public double Run(ReadOnlySpan<double> y, double alpha, double beta, double gamma, int calibrationSteps = 0)
        {
            _errorSquares = new double[calibrationSteps];
            _windowMaxExcess = Enumerable.Range(0, calibrationSteps / 60).Select(_ => new List<double>()).ToArray();
            _origins = 0;
            var s = seasonLength;
            int first;
            double level, trend;
            if (s == 0)
            {
                level = y[0];
                trend = 0.0;
                first = 1;
            }
            else
            {
                var mean1 = Stats.Mean(y[..s]);
                var mean2 = Stats.Mean(y[s..(2 * s)]);
                trend = (mean2 - mean1) / s;
                var centre = (s - 1) / 2.0;
                for (var i = 0; i < s; i++)
                {
                    // Average two seasons of detrended values so one noisy day does not set the shape.
                    var d1 = y[i] - (mean1 + (trend * (i - centre)));
                    var d2 = y[i + s] - (mean1 + (trend * (i + s - centre)));
                    Seasonal[i] = 0.5 * (d1 + d2);
                }

                level = mean1 + (trend * (s - 1 - centre));
                first = s;
            }

            var sse = 0.0;
            for (var t = first; t < y.Length; t++)
            {
                if (calibrationSteps > 0 && t >= 2 * s && t % OriginStrideMinutes == 0 && t + calibrationSteps <= y.Length)
                {
                    for (var h = 0; h < calibrationSteps; h++)
                    {
                        var e = y[t + h] - (level + ((h + 1) * trend) + Seasonal[(t + h) % s]);
                        _errorSquares[h] += e * e;
                    }

                    for (var k = 0; k < _windowMaxExcess.Length; k++)
                    {
                        var (from, to) = PlannerSignal.WindowSteps(k);
                        double forecastMax = double.NegativeInfinity, actualMax = double.NegativeInfinity;
                        for (var h = from; h < to; h++)
                        {
                            forecastMax = Math.Max(forecastMax, level + ((h + 1) * trend) + Seasonal[(t + h) % s]);
                            actualMax = Math.Max(actualMax, y[t + h]);
                        }

                        _windowMaxExcess[k].Add(actualMax - forecastMax);
                    }

                    _origins++;
                }

                var phase = s == 0 ? 0 : t % s;
                var season = s == 0 ? 0.0 : Seasonal[phase];
                var error = y[t] - (level + trend + season);
                sse += error * error;
                var newLevel = (alpha * (y[t] - season)) + ((1 - alpha) * (level + trend));
                trend = (beta * (newLevel - level)) + ((1 - beta) * trend);
                if (s != 0)
                {
                    Seasonal[phase] = (gamma * (y[t] - newLevel)) + ((1 - gamma) * season);
                }

                level = newLevel;
            }

            Level = level;
            Trend = trend;
            ErrorCount = y.Length - first;
            return double.IsFinite(sse) ? sse : double.PositiveInfinity;
        }

        /// <summary>Per hour, in-sample samples of (actual window max − forecast window max), or null if too few origins.</summary>
        public IReadOnlyList<double[]>? WindowMaxExcess() =>
            _origins < MinimumOrigins || _windowMaxExcess.Length == 0 ? null : _windowMaxExcess.Select(list => list.ToArray()).ToArray();

        /// <summary>Root-mean-square h-step in-sample errors from the last calibrating run, or null if too few origins.</summary>
        public double[]? MultiStepRms()
        {
            if (_origins < MinimumOrigins || _errorSquares.Length == 0)
            {
                return null;
            }

            var rms = new double[_errorSquares.Length];
            for (var h = 0; h < rms.Length; h++)
            {
                rms[h] = Math.Sqrt(_errorSquares[h] / _origins);
            }

            return rms;
        }
    }
}
