using SageServe.Planning.Planner;
using static SageServe.Planning.Tests.Planner.PlannerTestProblems;

namespace SageServe.Planning.Tests.Planner;

public sealed class ReferencePlannerTests
{
    [Fact]
    public void Solve_Forecasts_CeilOfForecastOverCapacityWithFloor()
    {
        var plan = ReferencePlanner.Solve(TwoRegions(5, [0, 150, 200, 200.0000000001, 201], [350, 1000, 99, 100, 1]));

        Assert.Equal([2, 2, 2, 2, 3], Series(plan, "west", 5));
        Assert.Equal([4, 10, 2, 2, 2], Series(plan, "east", 5));
        Assert.Equal(PlanStatus.Optimal, plan.Status);
        Assert.Equal(31 * Price, plan.ObjectiveUsd, 1e-9);
        Assert.Empty(plan.Routing);
    }

    [Fact]
    public void Solve_SeveralConfigs_UsesCheapestPerCapacity()
    {
        var h100 = new DeploymentConfiguration("A", "h100", 8, 8, 300, 25, 0);
        var plan = ReferencePlanner.Solve(TwoRegions(1, [700], [0], currentWest: 2) with { Configurations = [A100(), h100] });

        Assert.Equal(3, plan.InstancesAt("A", "west", "h100", 8, 1));
        Assert.Equal(0, plan.InstancesAt("A", "west", "a100", 8, 1));
        var removed = plan.Instances.Single(e => e.Sku == "a100" && e.Region == "west" && e.Hour == 1);
        Assert.Equal(2, removed.Removed);
    }

    [Fact]
    public void Solve_Changes_ExplainScaleOutAndIn()
    {
        var plan = ReferencePlanner.Solve(TwoRegions(2, [450, 150], [0, 0]));

        Assert.Equal(
            [
                "+3 A@west a100/tp8 at h1: load 450 prompt tok/s (IW forecast upper q 450 at home) exceeds capacity of 2 instances (200); 5 give 500",
                "-3 A@west a100/tp8 at h2: load 150 prompt tok/s (IW forecast upper q 150 at home) fits in 2 instances (200; floor 2)",
            ],
            plan.Changes);
    }
}
