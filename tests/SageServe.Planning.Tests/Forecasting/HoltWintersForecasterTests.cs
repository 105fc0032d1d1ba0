using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class HoltWintersForecasterTests
{
    private static readonly RollingOriginOptions s_evaluation = new() { WarmUp = TimeSpan.FromDays(3), OriginStride = TimeSpan.FromHours(2) };

    [Fact]
    public void RollingOrigin_TrendedSeasonalSeries_BeatsSeasonalNaive()
    {
        var series = TestSeries.TrendedDiurnal(6, seed: 3);

        var holtWinters = ForecastEvaluation.RollingOrigin(new HoltWintersForecaster(), series, s_evaluation);
        var naive = ForecastEvaluation.RollingOrigin(new SeasonalNaiveForecaster(), series, s_evaluation);

        Assert.True(holtWinters.MinuteMapePercent < naive.MinuteMapePercent,
            $"Holt-Winters {holtWinters.MinuteMapePercent:F2}% vs seasonal naive {naive.MinuteMapePercent:F2}%");
    }

    [Fact]
    public void RollingOrigin_TrendedSeasonalSeries_BeatsLastValue()
    {
        var series = TestSeries.TrendedDiurnal(6, seed: 4);
        var lastValue = new SeasonalNaiveForecaster(new SeasonalNaiveOptions { SeasonLength = TimeSpan.FromMinutes(1) });

        var holtWinters = ForecastEvaluation.RollingOrigin(new HoltWintersForecaster(), series, s_evaluation);
        var naive = ForecastEvaluation.RollingOrigin(lastValue, series, s_evaluation);

        Assert.True(holtWinters.MinuteMapePercent < naive.MinuteMapePercent,
            $"Holt-Winters {holtWinters.MinuteMapePercent:F2}% vs last value {naive.MinuteMapePercent:F2}%");
    }

    [Fact]
    public void Forecast_NoiselessLinearTrendWithoutSeason_ExtrapolatesTheLine()
    {
        var history = Enumerable.Range(0, 600).Select(i => 1000 + (2.0 * i)).ToArray();

        var forecast = new HoltWintersForecaster().Forecast(history, 30, 0.9);

        for (var h = 0; h < 30; h++)
        {
            Assert.Equal(1000 + (2.0 * (600 + h)), forecast.Point[h], 1e-6);
        }
    }
}
