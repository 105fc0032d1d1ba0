using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

/// <summary>Behaviour every <see cref="IForecaster"/> must have; one subclass per implementation.</summary>
public abstract class ForecasterContractTests
{
    protected abstract IForecaster Create();

    [Fact]
    public void Forecast_NoisyDiurnalSeries_UpperBandIsAtLeastPointAndFinite()
    {
        var history = SyntheticTraffic.Diurnal(3, seed: 11);

        var forecast = Create().Forecast(history, 240, 0.95);

        Assert.Equal(240, forecast.Steps);
        for (var h = 0; h < forecast.Steps; h++)
        {
            Assert.True(double.IsFinite(forecast.Point[h]) && forecast.Point[h] >= 0, $"point[{h}] = {forecast.Point[h]}");
            Assert.True(forecast.Upper[h] >= forecast.Point[h], $"upper[{h}] = {forecast.Upper[h]} < point {forecast.Point[h]}");
        }

        // A noisy series must get a band of real width, not a degenerate one.
        Assert.True(forecast.Upper[59] > forecast.Point[59] * 1.01);
    }

    [Fact]
    public void Forecast_NoisySeries_NinetyPercentBandCoverageIsNearNominal()
    {
        var series = SyntheticTraffic.Diurnal(4, seed: 21);
        var options = new RollingOriginOptions { WarmUp = TimeSpan.FromDays(3), OriginStride = TimeSpan.FromMinutes(90), UpperQuantile = 0.9 };

        var result = ForecastEvaluation.RollingOrigin(Create(), series, options);

        Assert.Equal(16, result.Origins);
        Assert.InRange(result.MinuteUpperCoverage, 0.8, 0.97);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(45)]
    [InlineData(1000)]
    public void Forecast_HistoryShorterThanSeason_ReturnsFiniteForecast(int length)
    {
        var history = SyntheticTraffic.Diurnal(1, seed: 3)[..length];

        var forecast = Create().Forecast(history, 60, 0.9);

        Assert.All(forecast.Point, v => Assert.True(double.IsFinite(v)));
        Assert.All(forecast.Upper, v => Assert.True(double.IsFinite(v)));
        Assert.InRange(forecast.Point[0], 0.5 * history[^1], 1.5 * history[^1]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1234.5)]
    public void Forecast_ConstantSeries_RepeatsTheValueWithoutNaN(double value)
    {
        var history = Enumerable.Repeat(value, 3 * 1440).ToArray();

        var forecast = Create().Forecast(history, 120, 0.9);

        Assert.All(forecast.Point, v => Assert.Equal(value, v, 6));
        Assert.All(forecast.Upper, v => Assert.Equal(value, v, 6));
    }

    [Fact]
    public void Forecast_HorizonLongerThanSeason_StaysFiniteAndFollowsDailyShape()
    {
        var history = SyntheticTraffic.Diurnal(3, seed: 12);

        var forecast = Create().Forecast(history, 2000, 0.9);

        Assert.Equal(2000, forecast.Steps);
        Assert.All(forecast.Upper, v => Assert.True(double.IsFinite(v)));
        Assert.All(forecast.Point, v => Assert.InRange(v, 0.0, 1e6));
    }

    [Fact]
    public void Forecast_NaNInHistory_ThrowsNamingTheIndex()
    {
        var history = SyntheticTraffic.Diurnal(1, seed: 4);
        history[777] = double.NaN;

        var error = Assert.Throws<ArgumentException>(() => Create().Forecast(history, 60, 0.9));

        Assert.Contains("index 777", error.Message);
    }

    [Fact]
    public void Forecast_InvalidArguments_Throw()
    {
        var forecaster = Create();
        var history = new double[] { 1, 2, 3 };

        Assert.Throws<ArgumentException>(() => forecaster.Forecast([], 60, 0.9));
        Assert.Throws<ArgumentException>(() => forecaster.Forecast(history, 0, 0.9));
        Assert.Throws<ArgumentException>(() => forecaster.Forecast(history, 60, 1.0));
        Assert.Throws<ArgumentException>(() => forecaster.Forecast(history, 60, 0.4));
    }

    [Fact]
    public void Forecast_SameHistoryTwice_GivesIdenticalForecasts()
    {
        var history = SyntheticTraffic.Diurnal(2, seed: 8);
        var forecaster = Create();

        var first = forecaster.Forecast(history, 60, 0.9);
        var second = forecaster.Forecast(history, 60, 0.9);

        Assert.Equal(first.Point, second.Point);
        Assert.Equal(first.Upper, second.Upper);
    }
}

public sealed class SeasonalNaiveContractTests : ForecasterContractTests
{
    protected override IForecaster Create() => new SeasonalNaiveForecaster();
}

public sealed class HoltWintersContractTests : ForecasterContractTests
{
    protected override IForecaster Create() => new HoltWintersForecaster();
}

public sealed class ReferenceArimaContractTests : ForecasterContractTests
{
    protected override IForecaster Create() => new ArimaForecaster(ArimaOptions.Reference);
}

public sealed class SeasonalAutoArimaContractTests : ForecasterContractTests
{
    protected override IForecaster Create() => new ArimaForecaster();
}
