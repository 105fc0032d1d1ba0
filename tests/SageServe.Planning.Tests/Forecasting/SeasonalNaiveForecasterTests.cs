using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class SeasonalNaiveForecasterTests
{
    [Fact]
    public void Forecast_ExactlyPeriodicSeries_ReproducesNextSeasonExactly()
    {
        var series = TestSeries.Periodic(days: 4, seasonLength: 1440, seed: 1);
        var history = series[..((3 * 1440) + 333)];

        var forecast = new SeasonalNaiveForecaster().Forecast(history, 1440 + 100, 0.9);

        for (var h = 0; h < forecast.Steps; h++)
        {
            var expected = series[(history.Length + h) % 1440];
            Assert.Equal(expected, forecast.Point[h], 9);
            Assert.Equal(expected, forecast.Upper[h], 9);
        }
    }

    [Fact]
    public void Forecast_SeasonsToAverage_AveragesSameMinuteOfPastSeasons()
    {
        // Season of 4 minutes: the same minute was 10, 20, 30 in the last three seasons.
        double[] history = [10, 1, 1, 1, 20, 2, 2, 2, 30, 3, 3, 3];
        var forecaster = new SeasonalNaiveForecaster(new SeasonalNaiveOptions { SeasonLength = TimeSpan.FromMinutes(4), SeasonsToAverage = 3 });

        var forecast = forecaster.Forecast(history, 2, 0.9);

        Assert.Equal(20.0, forecast.Point[0], 9);
        Assert.Equal(2.0, forecast.Point[1], 9);
    }

    [Fact]
    public void Forecast_SeasonsToAverageBeyondHistory_UsesAvailableSeasons()
    {
        double[] history = [10, 1, 1, 1, 20, 2, 2, 2];
        var forecaster = new SeasonalNaiveForecaster(new SeasonalNaiveOptions { SeasonLength = TimeSpan.FromMinutes(4), SeasonsToAverage = 7 });

        var forecast = forecaster.Forecast(history, 1, 0.9);

        Assert.Equal(15.0, forecast.Point[0], 9);
    }

    [Fact]
    public void Forecast_HistoryShorterThanSeason_RepeatsLastValue()
    {
        double[] history = [5, 7, 6, 9];

        var forecast = new SeasonalNaiveForecaster().Forecast(history, 10, 0.9);

        Assert.All(forecast.Point, v => Assert.Equal(9.0, v));
        Assert.True(forecast.Upper[9] > forecast.Upper[0], "random-walk band should widen with the horizon");
    }

    [Fact]
    public void Constructor_InvalidSeasonsToAverage_ThrowsNamingOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SeasonalNaiveForecaster(new SeasonalNaiveOptions { SeasonsToAverage = 0 }));

        Assert.Contains("SeasonsToAverage", error.Message);
    }
}
