using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class NumericsTests
{
    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.9, 1.2815516)]
    [InlineData(0.95, 1.6448536)]
    [InlineData(0.975, 1.9599640)]
    [InlineData(0.999, 3.0902323)]
    [InlineData(0.1, -1.2815516)]
    public void NormalQuantile_KnownValues_MatchTables(double p, double expected)
    {
        Assert.Equal(expected, Stats.NormalQuantile(p), 5);
    }

    [Theory]
    [InlineData(new[] { 0.5 }, true)]
    [InlineData(new[] { 1.0 }, false)]
    [InlineData(new[] { 0.5, -0.3 }, true)]
    [InlineData(new[] { 0.5, 0.6 }, false)]
    [InlineData(new[] { 1.2, -0.5 }, true)]
    public void IsStable_ArPolynomials_MatchStationarityRegion(double[] ar, bool expected)
    {
        Assert.Equal(expected, Polynomials.IsStable(ar));
    }

    [Fact]
    public void PsiWeights_Ar1_AreGeometric()
    {
        var psi = Polynomials.PsiWeights([0.5], [], 0, 4);

        Assert.Equal([1.0, 0.5, 0.25, 0.125], psi);
    }

    [Fact]
    public void PsiWeights_Arima011_AreOnePlusThetaAfterFirst()
    {
        var psi = Polynomials.PsiWeights([], [-0.4], 1, 4);

        Assert.Equal(1.0, psi[0], 12);
        Assert.All(psi[1..], v => Assert.Equal(0.6, v, 12));
    }
}
