using SageServe.Planning.Forecasting;
using SageServe.Planning.Planner;

namespace SageServe.Planning.Tests.Planner;

public sealed class EndpointLoadTests
{
    [Fact]
    public void FromSignal_HourlyDemand_UpperQuantilePerSecondWithOneBasedHours()
    {
        HourlyDemand[] signal = [new(0, 600, 1200), new(1, 60, 90), new(2, -5, -1)];

        var loads = EndpointLoad.FromSignal("A", "westus", signal);
        var points = EndpointLoad.FromSignal("A", "westus", signal, useUpperQuantile: false);

        Assert.Equal([new EndpointLoad("A", "westus", 1, 20), new("A", "westus", 2, 1.5), new("A", "westus", 3, 0)], loads);
        Assert.Equal(10, points[0].Load, 1e-12);
    }
}
