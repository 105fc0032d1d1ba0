using SageServe.Planning.Planner;
using static SageServe.Planning.Tests.Planner.PlannerTestProblems;

namespace SageServe.Planning.Tests.Planner;

public sealed class PlanPostProcessorTests
{
    [Theory]
    [InlineData(PostProcessing.Immediate, new[] { 5, 3, 7, 4 })]
    [InlineData(PostProcessing.DelayChanges, new[] { 2, 5, 3, 7 })]
    [InlineData(PostProcessing.KeepMaximum, new[] { 7, 7, 7, 7 })]
    [InlineData(PostProcessing.KeepMinimum, new[] { 3, 3, 3, 3 })]
    public void Apply_Series_FollowsDocumentedSemantics(PostProcessing mode, int[] expected)
    {
        Assert.Equal(expected, PlanPostProcessor.Apply(mode, current: 2, targets: [5, 3, 7, 4]));
    }

    [Fact]
    public void Apply_UnknownMode_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanPostProcessor.Apply((PostProcessing)42, 1, [1]));
    }

    [Fact]
    public void Apply_DelayChangesOnPlan_RecomputesAddsAndRemoves()
    {
        var plan = ReferencePlanner.Solve(TwoRegions(3, [450, 150, 300], [0, 0, 0], currentWest: 4));
        Assert.Equal([5, 2, 3], Series(plan, "west", 3));

        var delayed = PlanPostProcessor.Apply(plan, PostProcessing.DelayChanges);

        Assert.Equal([4, 5, 2], Series(delayed, "west", 3));
        var hour2 = delayed.Instances.Single(e => e.Region == "west" && e.Hour == 2);
        Assert.Equal((1, 0), (hour2.Added, hour2.Removed));
        var hour3 = delayed.Instances.Single(e => e.Region == "west" && e.Hour == 3);
        Assert.Equal((0, 3), (hour3.Added, hour3.Removed));
        Assert.Equal(2, delayed.Changes.Count);
        Assert.EndsWith("post-processed: DelayChanges", delayed.Explanation);
    }

    [Fact]
    public void Apply_KeepMaximumOnPlan_NeverScalesInInsideTheHorizon()
    {
        var plan = ReferencePlanner.Solve(TwoRegions(3, [450, 150, 300], [0, 0, 0], currentWest: 4));

        var kept = PlanPostProcessor.Apply(plan, PostProcessing.KeepMaximum);

        Assert.Equal([5, 5, 5], Series(kept, "west", 3));
        Assert.Equal([2, 2, 2], Series(kept, "east", 3));
        Assert.All(kept.Instances, e => Assert.Equal(0, e.Removed));
    }

    [Fact]
    public void Apply_Immediate_ReturnsThePlanUnchanged()
    {
        var plan = ReferencePlanner.Solve(TwoRegions(2, [450, 150], [0, 0]));

        Assert.Same(plan, PlanPostProcessor.Apply(plan, PostProcessing.Immediate));
    }
}
