using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class ForecastEvaluationTests
{
    [Fact]
    public void MapePercent_ZeroActuals_AreSkipped()
    {
        double[] actual = [100, 0, 50];
        double[] forecast = [110, 5, 40];

        Assert.Equal(15.0, ForecastEvaluation.MapePercent(actual, forecast), 9);
    }

    [Fact]
    public void MapePercent_AllActualsZero_IsNaN()
    {
        Assert.True(double.IsNaN(ForecastEvaluation.MapePercent([0, 0], [1, 2])));
    }

    [Fact]
    public void MapePercent_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ForecastEvaluation.MapePercent([1, 2], [1]));
    }

    [Fact]
    public void RollingOrigin_EveryOrigin_SeesOnlyThePast()
    {
        var series = Enumerable.Range(0, (2 * 1440) + 59).Select(i => (double)i + 1).ToArray();
        var spy = new HistorySpy();

        var result = ForecastEvaluation.RollingOrigin(spy, series);

        // Origins at every hour from 1 day on, while a full hour of actuals remains: 1440, 1500, ..., 2820.
        Assert.Equal(24, result.Origins);
        Assert.Equal(Enumerable.Range(0, 24).Select(k => 1440 + (60 * k)), spy.HistoryLengths);
        Assert.All(spy.LastValues.Zip(spy.HistoryLengths), pair => Assert.Equal(pair.Second, pair.First));
    }

    [Fact]
    public void RollingOrigin_PerfectForecaster_ScoresZeroAndFullCoverage()
    {
        var series = Enumerable.Range(0, 1440 + 120).Select(i => 10.0 + i).ToArray();

        // On a line, "next = last + slope" is exact, so every score is known in advance.
        var result = ForecastEvaluation.RollingOrigin(new LineForecaster(), series);

        Assert.Equal(2, result.Origins);
        Assert.Equal(0.0, result.MinuteMapePercent, 9);
        Assert.Equal(0.0, result.HourlyMaxMapePercent, 9);
        Assert.Equal(1.0, result.MinuteUpperCoverage);
        Assert.Equal(1.0, result.HourlyMaxUpperCoverage);
    }

    [Fact]
    public void RollingOrigin_SeriesShorterThanWarmUp_Throws()
    {
        Assert.Throws<ArgumentException>(() => ForecastEvaluation.RollingOrigin(new LineForecaster(), new double[1000]));
    }

    /// <summary>Records what each call was given (the point of the test is what RollingOrigin passes in).</summary>
    private sealed class HistorySpy : IForecaster
    {
        public List<int> HistoryLengths { get; } = [];

        public List<double> LastValues { get; } = [];

        public string Name => "spy";

        public Forecast Forecast(ReadOnlySpan<double> history, int stepsAhead, double upperQuantile)
        {
            HistoryLengths.Add(history.Length);
            LastValues.Add(history[^1]);
            var flat = Enumerable.Repeat(history[^1], stepsAhead).ToArray();
            return new Forecast(flat, flat, upperQuantile);
        }
    }

    private sealed class LineForecaster : IForecaster
    {
        public string Name => "line";

        public Forecast Forecast(ReadOnlySpan<double> history, int stepsAhead, double upperQuantile)
        {
            var last = history[^1];
            var slope = history[^1] - history[^2];
            var point = Enumerable.Range(1, stepsAhead).Select(h => last + (slope * h)).ToArray();
            return new Forecast(point, point, upperQuantile);
        }
    }
}
