using SageServe.Grains.Planner;

namespace SageServe.Grains.Tests.Planner;

public sealed class TrafficMinutesTests
{
    private static readonly DateTimeOffset s_epoch = new(2026, 1, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Drain_ReturnsCompletedMinutesWithZerosForQuietOnes()
    {
        var traffic = new TrafficMinutes();
        traffic.Record(s_epoch, s_epoch.AddSeconds(10), 100);
        traffic.Record(s_epoch, s_epoch.AddSeconds(50), 50);
        traffic.Record(s_epoch, s_epoch.AddMinutes(3).AddSeconds(1), 7);

        var minutes = traffic.Drain(s_epoch, s_epoch.AddMinutes(3).AddSeconds(30));

        Assert.Equal([(0L, 150.0), (1L, 0.0), (2L, 0.0)], minutes);
        Assert.Empty(traffic.Drain(s_epoch, s_epoch.AddMinutes(3).AddSeconds(40))); // minute 3 is not over yet
        Assert.Equal([(3L, 7.0)], traffic.Drain(s_epoch, s_epoch.AddMinutes(4)));
    }

    [Fact]
    public void LastMinute_SlidesInTenSecondSteps()
    {
        var traffic = new TrafficMinutes();
        traffic.Record(s_epoch, s_epoch.AddSeconds(5), 10);
        traffic.Record(s_epoch, s_epoch.AddSeconds(35), 20);

        Assert.Equal(30, traffic.LastMinute(s_epoch, s_epoch.AddSeconds(55)));
        Assert.Equal(20, traffic.LastMinute(s_epoch, s_epoch.AddSeconds(65)));
        Assert.Equal(0, traffic.LastMinute(s_epoch, s_epoch.AddMinutes(5)));
    }
}
