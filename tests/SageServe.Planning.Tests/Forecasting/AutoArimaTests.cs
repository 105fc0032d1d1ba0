using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class AutoArimaTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_WhiteNoise_SelectsLowOrderWithoutDifferencing(int seed)
    {
        var series = TestSeries.Arma(3000, [], [], seed, mean: 5);

        var model = AutoArima.Fit(series);

        Assert.Equal(0, model.Order.D);
        Assert.True(model.Order.P + model.Order.Q <= 1, $"selected {model.Order} for white noise");
    }

    [Fact]
    public void Fit_Ar2Process_SelectsAutoregressiveOrder()
    {
        var series = TestSeries.Arma(3000, [0.5, -0.3], [], seed: 4);

        var model = AutoArima.Fit(series);

        Assert.Equal(0, model.Order.D);
        Assert.True(model.Order.P >= 2, $"selected {model.Order} for AR(2)");
        Assert.Equal(0.5, model.ArCoefficients[0], 0.1);
    }

    [Fact]
    public void Fit_RandomWalk_Differences()
    {
        var steps = TestSeries.Arma(3000, [], [], seed: 5);
        var walk = new double[steps.Length];
        for (var i = 1; i < walk.Length; i++)
        {
            walk[i] = walk[i - 1] + steps[i];
        }

        var model = AutoArima.Fit(walk);

        Assert.Equal(1, model.Order.D);
    }

    [Fact]
    public void KpssStatistic_StationaryVersusRandomWalk_SeparatesAtCriticalValue()
    {
        var noise = TestSeries.Arma(3000, [0.5], [], seed: 6);
        var walk = new double[noise.Length];
        for (var i = 1; i < walk.Length; i++)
        {
            walk[i] = walk[i - 1] + noise[i];
        }

        Assert.True(AutoArima.KpssStatistic(noise) < 0.463);
        Assert.True(AutoArima.KpssStatistic(walk) > 0.463);
        Assert.Equal(0.0, AutoArima.KpssStatistic(Enumerable.Repeat(3.0, 100).ToArray()));
    }
}
