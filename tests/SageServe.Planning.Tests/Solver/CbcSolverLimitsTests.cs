using SageServe.Planning.Solver;

namespace SageServe.Planning.Tests.Solver;

/// <summary>Time limit and relative gap on instances CBC cannot close at once.</summary>
public sealed class CbcSolverLimitsTests
{
    // Generous: the limit is 0.2 s, but two cores are shared with other builds; a missing limit would run for minutes.
    private static readonly TimeSpan LimitSlack = TimeSpan.FromSeconds(5);
    private readonly CbcSolver _solver = new();

    [Fact]
    public void Solve_HardMultiKnapsackWithTimeLimit_StopsEarlyWithValidBound()
    {
        var (model, take) = HardInstances.MultiKnapsack(items: 100, dimensions: 10, seed: 7);
        var options = new MipSolveOptions { TimeLimit = TimeSpan.FromSeconds(0.2), RelativeGap = 0.0 };

        var result = _solver.Solve(model, options);

        Assert.True(result.Status is MipStatus.Feasible or MipStatus.TimedOutNoSolution, $"unexpected {result}");
        Assert.True(result.SolveTime < LimitSlack, $"time limit ignored: {result}");
        if (result.HasSolution)
        {
            // Maximising: the bound is an upper bound, and the incumbent respects every capacity.
            Assert.True(result.BestBound >= result.ObjectiveValue - 1e-6, result.ToString());
            Assert.True(result.Gap > 0, result.ToString());
            Assert.All(take, t => Assert.True(result[t] is 0.0 or 1.0));
        }
    }

    [Fact]
    public void Solve_MarketSplitWithTimeLimit_TimesOutWithoutSolution()
    {
        var model = HardInstances.MarketSplit(rows: 5, seed: 11);
        var options = new MipSolveOptions { TimeLimit = TimeSpan.FromSeconds(0.2), RelativeGap = 0.0 };

        var result = _solver.Solve(model, options);

        Assert.Equal(MipStatus.TimedOutNoSolution, result.Status);
        Assert.False(result.HasSolution);
        Assert.True(double.IsNaN(result.Gap));
        Assert.True(result.SolveTime < LimitSlack, $"time limit ignored: {result}");
    }

    [Fact]
    public void Solve_LooseRelativeGap_StopsWithinGapOfTheProvenOptimum()
    {
        var (model, _) = HardInstances.MultiKnapsack(items: 60, dimensions: 5, seed: 7);
        var exact = _solver.Solve(model, new MipSolveOptions { RelativeGap = 0.0, TimeLimit = TimeSpan.FromSeconds(60) });
        Assert.Equal(MipStatus.Optimal, exact.Status);
        Assert.Equal(0.0, exact.Gap, 9);

        var loose = _solver.Solve(model, new MipSolveOptions { RelativeGap = 0.05, TimeLimit = TimeSpan.FromSeconds(60) });

        Assert.Equal(MipStatus.Optimal, loose.Status);
        Assert.InRange(loose.Gap, 1e-9, 0.05); // stopped on the gap, before proving optimality
        Assert.InRange(loose.ObjectiveValue, 0.95 * exact.ObjectiveValue, exact.ObjectiveValue);
        Assert.True(loose.BestBound >= exact.ObjectiveValue - 1e-6, $"bound {loose.BestBound} below optimum {exact.ObjectiveValue}");
    }

    [Fact]
    public void Solve_ConcurrentCallers_AllGetCorrectResults()
    {
        var expected = _solver.Solve(HardInstances.MultiKnapsack(30, 3, seed: 5).Model, new MipSolveOptions { RelativeGap = 0.0 });

        var results = Enumerable.Range(0, 4)
            .AsParallel()
            .Select(_ => _solver.Solve(HardInstances.MultiKnapsack(30, 3, seed: 5).Model, new MipSolveOptions { RelativeGap = 0.0 }))
            .ToArray();

        Assert.All(results, r =>
        {
            Assert.Equal(MipStatus.Optimal, r.Status);
            Assert.Equal(expected.ObjectiveValue, r.ObjectiveValue, 6);
        });
    }
}
