using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class ArimaForecasterTests
{
    [Fact]
    public void RollingOrigin_SevenDayDiurnalSeries_SeasonalAutoArimaMapeBelowFifteenPercent()
    {
        var series = SyntheticTraffic.Diurnal(7, seed: 42);
        var options = new RollingOriginOptions { OriginStride = TimeSpan.FromHours(3) };

        var result = ForecastEvaluation.RollingOrigin(new ArimaForecaster(), series, options);

        Assert.Equal(48, result.Origins);
        Assert.True(result.MinuteMapePercent < 15, $"minute MAPE {result.MinuteMapePercent:F2}%");
        Assert.True(result.HourlyMaxMapePercent < 15, $"hourly-max MAPE {result.HourlyMaxMapePercent:F2}%");
    }

    [Fact]
    public void Forecast_ExactlyPeriodicSmoothSeries_FollowsTheDailyShape()
    {
        var options = new SyntheticTrafficOptions { NoiseFraction = 0, TrendPerDay = 0 };
        var series = SyntheticTraffic.Diurnal(4, seed: 1, options);
        var history = series[..((3 * 1440) + 600)];

        var forecast = new ArimaForecaster().Forecast(history, 240, 0.9);

        for (var h = 0; h < forecast.Steps; h++)
        {
            Assert.Equal(series[history.Length + h], forecast.Point[h], series[history.Length + h] * 0.01);
        }
    }

    [Fact]
    public void Forecast_SeasonalVersusNonSeasonal_SeasonalIsMoreAccurateOverFourHours()
    {
        var series = SyntheticTraffic.Diurnal(5, seed: 9);
        var origin = (4 * 1440) + 420; // 07:00, when the morning ramp makes a flat forecast wrong
        var actual = series.AsSpan(origin, 240);

        var seasonal = new ArimaForecaster().Forecast(series.AsSpan(0, origin), 240, 0.9);
        var flat = new ArimaForecaster(ArimaOptions.Reference).Forecast(series.AsSpan(0, origin), 240, 0.9);

        var seasonalMape = ForecastEvaluation.MapePercent(actual, seasonal.Point.ToArray());
        var flatMape = ForecastEvaluation.MapePercent(actual, flat.Point.ToArray());
        Assert.True(seasonalMape < flatMape, $"seasonal {seasonalMape:F2}% vs non-seasonal {flatMape:F2}%");
    }

    [Fact]
    public void FitModel_DeseasonalisedNoiseWithAr1Structure_FindsAutoregression()
    {
        var series = SyntheticTraffic.Diurnal(4, seed: 5, new SyntheticTrafficOptions { NoiseAutocorrelation = 0.8, TrendPerDay = 0 });

        var model = new ArimaForecaster().FitModel(series);

        Assert.NotNull(model);
        Assert.True(model.Order.P >= 1 || model.Order.D == 1, $"selected {model.Order}");
    }

    [Fact]
    public void Name_ReflectsConfiguration()
    {
        Assert.Equal("auto-arima-seasonal", new ArimaForecaster().Name);
        Assert.Equal("arima(3,1,2)", new ArimaForecaster(ArimaOptions.Reference).Name);
    }

    [Fact]
    public void Constructor_FitWindowTooShort_ThrowsNamingOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ArimaForecaster(new ArimaOptions { FitWindow = TimeSpan.FromMinutes(5) }));

        Assert.Contains("FitWindow", error.Message);
    }

    [Fact]
    public void Forecast_FourHours_SuppliesWindowMaxDistributionAboveSmoothMaximum()
    {
        var history = SyntheticTraffic.Diurnal(3, seed: 13);

        var forecast = new ArimaForecaster().Forecast(history, 240, 0.9);

        Assert.NotNull(forecast.PlannerHours);
        Assert.Equal(4, forecast.PlannerHours.Count);
        var fromMinutes = PlannerSignal.HourlyFromMinutes(forecast, 4);
        for (var k = 0; k < 4; k++)
        {
            var planned = forecast.PlannerHours[k];
            Assert.Equal(k, planned.HourIndex);
            Assert.True(planned.UpperPromptTokensPerMinute > planned.PointPromptTokensPerMinute);

            // The maximum of noisy paths sits above the maximum of their mean.
            Assert.True(planned.PointPromptTokensPerMinute > fromMinutes[k].PointPromptTokensPerMinute,
                $"hour {k}: median window max {planned.PointPromptTokensPerMinute:F0} vs smooth max {fromMinutes[k].PointPromptTokensPerMinute:F0}");
        }
    }

    [Fact]
    public void RollingOrigin_WindowMaxDistribution_CoversHourlyPeakMoreOftenThanMinuteBands()
    {
        var series = SyntheticTraffic.Diurnal(4, seed: 17);
        var options = new RollingOriginOptions { WarmUp = TimeSpan.FromDays(3), OriginStride = TimeSpan.FromMinutes(90) };

        var result = ForecastEvaluation.RollingOrigin(new ArimaForecaster(), series, options);

        Assert.True(result.HourlyMaxUpperCoverage > result.MinuteBandHourlyMaxUpperCoverage,
            $"window-max coverage {result.HourlyMaxUpperCoverage:F3} vs minute-band {result.MinuteBandHourlyMaxUpperCoverage:F3}");
        Assert.True(result.HourlyMaxMapePercent < result.MinuteBandHourlyMaxMapePercent);
    }
}
