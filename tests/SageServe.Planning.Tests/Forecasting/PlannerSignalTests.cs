using SageServe.Planning.Forecasting;

namespace SageServe.Planning.Tests.Forecasting;

public sealed class PlannerSignalTests
{
    private static Forecast Ramp(int steps) =>
        new(Enumerable.Range(0, steps).Select(i => (double)i).ToArray(), Enumerable.Range(0, steps).Select(i => i + 0.5).ToArray(), 0.9);

    [Fact]
    public void Hourly_Ramp_TakesMaximumOfMinutesTwentyToSixtyOfEachHour()
    {
        var signal = PlannerSignal.Hourly(Ramp(240), hours: 4);

        Assert.Equal(4, signal.Count);
        Assert.Equal(new HourlyDemand(0, 59, 59.5), signal[0]);
        Assert.Equal(new HourlyDemand(3, 239, 239.5), signal[3]);
    }

    [Fact]
    public void Hourly_PeakBeforeMinuteTwenty_IsIgnored()
    {
        var point = Enumerable.Repeat(10.0, 60).ToArray();
        point[19] = 1000;
        point[20] = 50;
        var forecast = new Forecast(point, point, 0.9);

        var signal = PlannerSignal.Hourly(forecast, 1);

        Assert.Equal(50, signal[0].PointPromptTokensPerMinute);
    }

    [Fact]
    public void Hourly_ForecastShorterThanHorizon_ThrowsWithCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => PlannerSignal.Hourly(Ramp(100), hours: 2));

        Assert.Contains("120", error.Message);
        Assert.Contains("100", error.Message);
    }

    [Fact]
    public void WindowMax_SecondHour_UsesMinutesEightyToOneHundredTwenty()
    {
        var minutes = Enumerable.Range(0, 180).Select(i => i is >= 80 and < 120 ? 1.0 : 99.0).ToArray();

        Assert.Equal(1.0, PlannerSignal.WindowMax(minutes, hourIndex: 1));
    }

    [Fact]
    public void Hourly_ForecasterSuppliesPlannerHours_UsesThemInsteadOfMinuteMaxima()
    {
        var planned = new[] { new HourlyDemand(0, 70, 90), new HourlyDemand(1, 130, 150) };
        var forecast = Ramp(120) with { PlannerHours = planned };

        Assert.Equal(planned, PlannerSignal.Hourly(forecast, 2));
        Assert.Equal(new HourlyDemand(0, 59, 59.5), PlannerSignal.HourlyFromMinutes(forecast, 2)[0]);
    }

    [Fact]
    public void Hourly_PlannerHoursShorterThanHorizon_FallsBackToMinuteMaxima()
    {
        var forecast = Ramp(120) with { PlannerHours = [new HourlyDemand(0, 70, 90)] };

        Assert.Equal(PlannerSignal.HourlyFromMinutes(forecast, 2), PlannerSignal.Hourly(forecast, 2));
    }
}
