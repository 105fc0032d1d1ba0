using SageServe.Planning.Planner;
using static SageServe.Planning.Tests.Planner.PlannerTestProblems;

namespace SageServe.Planning.Tests.Planner;

public sealed class PlannerDecompositionTests
{
    private static readonly IlpPlanner s_whole = new(options: new PlannerOptions
    {
        RelativeGap = 0.001, TimeLimit = TimeSpan.FromSeconds(5), DecomposeAboveIntegers = int.MaxValue,
    });
    private static readonly IlpPlanner s_decomposed = new(options: new PlannerOptions { RelativeGap = 0.01, DecomposeAboveIntegers = 0 });

    [Fact]
    public void Solve_SharedQuotaBroken_RepairsByRoutingBothModels()
    {
        // Alone, A and B each want 3 instances in west (300 > 200); the west quota holds 4 in total, so each keeps 2
        // and routes 100 to east, where both already run full at their floor and add one instance each.
        var b = A100() with { Model = "B" };
        var problem = new PlanningProblem
        {
            Models = ["A", "B"],
            Regions = ["west", "east"],
            Configurations = [A100(), b],
            Hours = 1,
            InteractiveLoad =
            [
                new("A", "west", 1, 300), new("B", "west", 1, 300), new("A", "east", 1, 200), new("B", "east", 1, 200),
            ],
            Quotas = [new RegionQuota("west", "a100", 32)],
            Routes = [new RoutingLink("west", "east", 0.001)],
        };

        var plan = s_decomposed.Solve(problem);

        Assert.Equal(PlanStatus.Optimal, plan.Status);
        Assert.Contains("1 quota repair rounds", plan.Explanation);
        foreach (var model in new[] { "A", "B" })
        {
            Assert.Equal(2, plan.InstancesAt(model, "west", 1));
            Assert.Equal(3, plan.InstancesAt(model, "east", 1));
            Assert.Equal(100, plan.RoutedAt(model, "west", "east", 1), 1e-6);
        }

        Assert.Equal(s_whole.Solve(problem).ObjectiveUsd, plan.ObjectiveUsd, 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Solve_SyntheticProblem_CloseToWholeMipAndWithinQuotas(int seed)
    {
        var problem = PlannerBenchmark.CreateProblem(4, 5, 2, 3, seed, routing: true);

        var whole = s_whole.Solve(problem);
        var decomposed = s_decomposed.Solve(problem);

        Assert.False(whole.Fallback, whole.Explanation);
        Assert.False(decomposed.Fallback, decomposed.Explanation);
        Assert.Contains("decomposed per model", decomposed.Explanation);
        var wholeBound = whole.ObjectiveUsd * (1 - whole.Gap);
        var decomposedBound = decomposed.ObjectiveUsd * (1 - decomposed.Gap);
        Assert.True(decomposed.ObjectiveUsd >= wholeBound - 1e-6, $"{decomposed.ObjectiveUsd} below the whole MIP's bound {wholeBound}");
        // The decomposition's bound must be a true lower bound: never above a feasible plan's cost.
        Assert.True(decomposedBound <= whole.ObjectiveUsd + 1e-6, $"bound {decomposedBound} above feasible {whole.ObjectiveUsd}");
        Assert.True(decomposed.ObjectiveUsd <= whole.ObjectiveUsd * 1.03, $"{decomposed.ObjectiveUsd} vs {whole.ObjectiveUsd}");
        foreach (var quota in problem.Quotas)
        {
            for (var hour = 1; hour <= problem.Hours; hour++)
            {
                var used = decomposed.Instances.Where(e => e.Region == quota.Region && e.Sku == quota.Sku && e.Hour == hour).Sum(e => e.Count * 8);
                Assert.True(used <= quota.Gpus, $"{quota} at h{hour}: {used} GPUs");
            }
        }

        foreach (var load in problem.InteractiveLoad)
        {
            var served = decomposed.Routing.Where(r => r.Model == load.Model && r.FromRegion == load.Region && r.Hour == load.Hour).Sum(r => r.Load);
            Assert.True(served >= load.Load * (1 - 1e-6), $"{load}: served {served}");
        }
    }
}
