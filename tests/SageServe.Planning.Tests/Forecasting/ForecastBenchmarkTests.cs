using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class ForecastBenchmarkTests
{
    [Fact]
    public void Run_SmallConfiguration_ReportsEveryForecasterWithScores()
    {
        var report = ForecastBenchmark.Run(series: 2, days: 2, seed: 7, TimeProvider.System);

        foreach (var forecaster in ForecastBenchmark.Candidates())
        {
            var line = report.Split('\n').Single(l => l.StartsWith(forecaster.Name + " ", StringComparison.Ordinal));
            Assert.Contains(" ms ", line);
            Assert.EndsWith("24", line.TrimEnd());
        }
    }

    [Fact]
    public void Run_OneDay_ThrowsBecauseNothingIsLeftAfterWarmUp()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastBenchmark.Run(series: 1, days: 1, seed: 1, TimeProvider.System));
    }
}
