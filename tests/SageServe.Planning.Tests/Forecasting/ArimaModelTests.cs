using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class ArimaModelTests
{
    [Fact]
    public void Fit_Ar1Process_RecoversCoefficient()
    {
        var series = TestSeries.Arma(5000, [0.6], [], seed: 1, mean: 10);

        var model = ArimaModel.Fit(series, new ArimaOrder(1, 0, 0));

        Assert.Equal(0.6, model.ArCoefficients[0], 0.04);
        Assert.Equal(10.0, model.Mean, 0.15);
        Assert.Equal(1.0, model.Sigma2, 0.08);
    }

    [Fact]
    public void Fit_Ar2Process_RecoversCoefficients()
    {
        var series = TestSeries.Arma(5000, [0.5, -0.3], [], seed: 2);

        var model = ArimaModel.Fit(series, new ArimaOrder(2, 0, 0));

        Assert.Equal(0.5, model.ArCoefficients[0], 0.05);
        Assert.Equal(-0.3, model.ArCoefficients[1], 0.05);
    }

    [Fact]
    public void Fit_Arma11Process_RecoversCoefficients()
    {
        var series = TestSeries.Arma(5000, [0.7], [-0.4], seed: 3);

        var model = ArimaModel.Fit(series, new ArimaOrder(1, 0, 1));

        Assert.Equal(0.7, model.ArCoefficients[0], 0.07);
        Assert.Equal(-0.4, model.MaCoefficients[0], 0.07);
    }

    [Fact]
    public void Fit_IntegratedMa1Process_RecoversMaCoefficient()
    {
        var increments = TestSeries.Arma(4000, [], [-0.7], seed: 4);
        var series = new double[increments.Length];
        var level = 100.0;
        for (var i = 0; i < series.Length; i++)
        {
            level += increments[i];
            series[i] = level;
        }

        var model = ArimaModel.Fit(series, new ArimaOrder(0, 1, 1));

        Assert.Equal(-0.7, model.MaCoefficients[0], 0.05);
    }

    [Fact]
    public void PointForecast_StationaryAr1_DecaysGeometricallyToMean()
    {
        var series = TestSeries.Arma(3000, [0.6], [], seed: 5, mean: 50);
        var model = ArimaModel.Fit(series, new ArimaOrder(1, 0, 0));

        var forecast = model.PointForecast(200);

        var phi = model.ArCoefficients[0];
        var expectedFirst = model.Mean + (phi * (series[^1] - model.Mean));
        Assert.Equal(expectedFirst, forecast[0], 9);
        Assert.Equal(model.Mean, forecast[199], 6);
    }

    [Fact]
    public void StandardErrors_RandomWalk_GrowWithSquareRootOfHorizon()
    {
        var steps = TestSeries.Arma(3000, [], [], seed: 6);
        var walk = new double[steps.Length];
        for (var i = 1; i < walk.Length; i++)
        {
            walk[i] = walk[i - 1] + steps[i];
        }

        var model = ArimaModel.Fit(walk, new ArimaOrder(0, 1, 0));
        var se = model.StandardErrors(16);

        Assert.Equal(Math.Sqrt(model.Sigma2), se[0], 9);
        Assert.Equal(4 * Math.Sqrt(model.Sigma2), se[15], 9);
        Assert.All(model.PointForecast(16), v => Assert.Equal(walk[^1], v, 9));
    }

    [Fact]
    public void Fit_SeriesTooShortForOrder_ThrowsWithLength()
    {
        var error = Assert.Throws<ArgumentException>(() => ArimaModel.Fit([1, 2, 3, 4, 5, 6], new ArimaOrder(3, 1, 2)));

        Assert.Contains("length 6", error.Message);
    }

    [Fact]
    public void Fit_AnyOrderOnNoisySeries_StaysStationaryAndInvertible()
    {
        var series = TestSeries.Arma(2000, [0.9, -0.2], [0.3], seed: 7);

        var model = ArimaModel.Fit(series, new ArimaOrder(3, 0, 2));

        Assert.True(Polynomials.IsStable(model.ArCoefficients.ToArray()));
        Assert.True(Polynomials.IsInvertible(model.MaCoefficients.ToArray()));
        Assert.All(model.PointForecast(500), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void PointForecastFrom_InsideSeries_UsesOnlyValuesBeforeOrigin()
    {
        var series = TestSeries.Arma(2000, [0.6], [], seed: 8, mean: 20);
        var model = ArimaModel.Fit(series, new ArimaOrder(1, 0, 0));

        var fromOrigin = model.PointForecastFrom(1000, 3);

        var phi = model.ArCoefficients[0];
        Assert.Equal(model.Mean + (phi * (series[999] - model.Mean)), fromOrigin[0], 9);
        Assert.Equal(model.Mean + (phi * phi * (series[999] - model.Mean)), fromOrigin[1], 9);
        Assert.Equal(model.PointForecast(5), model.PointForecastFrom(series.Length, 5));
    }

    [Fact]
    public void PointForecastFrom_RandomWalk_RepeatsValueAtOrigin()
    {
        var steps = TestSeries.Arma(1500, [], [], seed: 9);
        var walk = new double[steps.Length];
        for (var i = 1; i < walk.Length; i++)
        {
            walk[i] = walk[i - 1] + steps[i];
        }

        var model = ArimaModel.Fit(walk, new ArimaOrder(0, 1, 0));

        Assert.All(model.PointForecastFrom(800, 5), v => Assert.Equal(walk[799], v, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.PointForecastFrom(walk.Length + 1, 1));
    }
}
