using SageServe.Planning.Planner;
using SageServe.Planning.Solver;
using static SageServe.Planning.Tests.Planner.PlannerTestProblems;

namespace SageServe.Planning.Tests.Planner;

public sealed class IlpPlannerTests
{
    private readonly IlpPlanner _planner = new();

    [Fact]
    public void Solve_RoutingAllowed_RoutesToSpareCapacityInsteadOfAddingAnInstance()
    {
        // West needs 3 instances alone (250 > 200); east's floor of 2 leaves 150 spare. Routing 50+ saves an instance.
        var problem = TwoRegions(1, [250], [50], currentWest: 3) with { Routes = [new RoutingLink("west", "east", 0.001)] };

        var plan = _planner.Solve(problem);

        Assert.Equal(PlanStatus.Optimal, plan.Status);
        Assert.Equal(2, plan.InstancesAt("A", "west", 1));
        Assert.Equal(2, plan.InstancesAt("A", "east", 1));
        var routed = plan.RoutedAt("A", "west", "east", 1);
        Assert.InRange(routed, 50 - 1e-6, 150 + 1e-6);
        Assert.Equal(250, routed + plan.RoutedAt("A", "west", "west", 1), 1e-6);
        Assert.Equal(routed / 250, plan.Routing.Single(r => r.FromRegion == "west" && r.ToRegion == "east").Fraction, 1e-9);
        Assert.Equal((4 * Price) + (0.001 * routed) + 0.01, plan.ObjectiveUsd, 1e-6);
        Assert.Contains(plan.Changes, c => c.StartsWith("-1 A@west a100/tp8 at h1:", StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_NoRoutes_ServesAtHome()
    {
        var plan = _planner.Solve(TwoRegions(1, [250], [50], currentWest: 3));

        Assert.Equal(3, plan.InstancesAt("A", "west", 1));
        Assert.Equal(2, plan.InstancesAt("A", "east", 1));
        Assert.Equal(0, plan.RoutedAt("A", "west", "east", 1));
        Assert.Equal(5 * Price, plan.ObjectiveUsd, 1e-6);
    }

    [Fact]
    public void Solve_QuotaBelowHomeNeed_ForcesExpensiveRouting()
    {
        // Routing costs 1 USD per load-hour, far above an instance (10 USD per 100), so only the quota makes it route.
        var baseProblem = TwoRegions(1, [350], [150], currentWest: 4) with { Routes = [new RoutingLink("west", "east", 1.0)] };
        var free = _planner.Solve(baseProblem);
        var capped = _planner.Solve(baseProblem with { Quotas = [new RegionQuota("west", "a100", 16)] });

        Assert.Equal([4, 2], new[] { free.InstancesAt("A", "west", 1), free.InstancesAt("A", "east", 1) });
        Assert.Equal(0, free.RoutedAt("A", "west", "east", 1), 1e-6);
        Assert.Equal(PlanStatus.Optimal, capped.Status);
        Assert.Equal([2, 3], new[] { capped.InstancesAt("A", "west", 1), capped.InstancesAt("A", "east", 1) });
        Assert.Equal(150, capped.RoutedAt("A", "west", "east", 1), 1e-6);
    }

    [Fact]
    public void Solve_QuotaPerSku_OnlyCountsThatSku()
    {
        // The h100 quota is 0 in west, so west must use a100 even though h100 is cheaper per unit of capacity.
        var h100 = new DeploymentConfiguration("A", "h100", 8, 8, 300, 25, 0);
        var problem = TwoRegions(1, [600], [600], 0, 0) with
        {
            Configurations = [A100(), h100],
            Quotas = [new RegionQuota("west", "h100", 0)],
        };

        var plan = _planner.Solve(problem);

        Assert.Equal(6, plan.InstancesAt("A", "west", "a100", 8, 1));
        Assert.Equal(0, plan.InstancesAt("A", "west", "h100", 8, 1));
        Assert.Equal(2, plan.InstancesAt("A", "east", "h100", 8, 1));
        Assert.Equal(0, plan.InstancesAt("A", "east", "a100", 8, 1));
    }

    [Fact]
    public void Solve_NoDemand_FloorRespected()
    {
        var problem = TwoRegions(3, [0, 0, 0], [0, 0, 0], currentWest: 5, currentEast: 0) with { FloorPerEndpoint = 3 };

        var plan = _planner.Solve(problem);

        Assert.Equal([3, 3, 3], Series(plan, "west", 3));
        Assert.Equal([3, 3, 3], Series(plan, "east", 3));
        Assert.Contains(plan.Changes, c => c.StartsWith("+3 A@east a100/tp8 at h1: restores the floor of 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_NiwDueInHourTwo_AddsCapacityInHourTwo()
    {
        // Hour 1 is full (200 of 200); hour 2 has 50 spare; 150 load-hours due by hour 2 need one more instance there.
        var withoutNiw = TwoRegions(2, [200, 150], [0, 0]);
        var withNiw = withoutNiw with { NiwBacklog = [new NiwBacklog("A", "west", 2, 150)] };

        var before = _planner.Solve(withoutNiw);
        var after = _planner.Solve(withNiw);

        Assert.Equal([2, 2], Series(before, "west", 2));
        Assert.Equal([2, 3], Series(after, "west", 2));
        Assert.Equal(150, after.NiwAt("A", "west", 1) + after.NiwAt("A", "west", 2), 1e-6);
        Assert.Contains(after.Changes, c => c.StartsWith("+1 A@west a100/tp8 at h2:", StringComparison.Ordinal) && c.Contains("NIW"));
    }

    [Fact]
    public void Solve_NiwDueBeyondHorizon_NoExtraCapacity()
    {
        var problem = TwoRegions(2, [200, 150], [0, 0]) with { NiwBacklog = [new NiwBacklog("A", "west", 10, 500)] };

        var plan = _planner.Solve(problem);

        Assert.Equal([2, 2], Series(plan, "west", 2));
    }

    [Fact]
    public void Solve_Damping_RampsUpAheadOfThePeak()
    {
        var free = TwoRegions(3, [150, 150, 600], [0, 0, 0]);
        var damped = free with { MaxChangesPerHour = 2 };

        Assert.Equal([2, 2, 6], Series(_planner.Solve(free), "west", 3));
        var plan = _planner.Solve(damped);
        Assert.Equal([2, 4, 6], Series(plan, "west", 3));
        Assert.Contains(plan.Changes, c => c.StartsWith("+2 A@west a100/tp8 at h2:", StringComparison.Ordinal) && c.Contains("already fits"));
    }

    [Fact]
    public void Solve_StartupCost_KeepsInstancesAcrossADip()
    {
        var cheapStart = TwoRegions(3, [400, 100, 400], [0, 0, 0], currentWest: 4);
        var costlyStart = TwoRegions(3, [400, 100, 400], [0, 0, 0], currentWest: 4, startupUsd: 30);

        Assert.Equal([4, 2, 4], Series(_planner.Solve(cheapStart), "west", 3));
        Assert.Equal([4, 4, 4], Series(_planner.Solve(costlyStart), "west", 3));
    }

    [Fact]
    public void Solve_ScaleOut_ExplainsWithForecastAndCapacity()
    {
        var plan = _planner.Solve(TwoRegions(1, [1_300_000], [0]) with
        {
            Configurations = [new DeploymentConfiguration("A", "a100", 8, 8, 275_000, 10, 0)],
            Current = [new CurrentInstances("A", "west", "a100", 8, 4)],
        });

        var line = Assert.Single(plan.Changes, c => c.Contains("A@west"));
        Assert.Equal("+1 A@west a100/tp8 at h1: load 1.3M prompt tok/s (IW forecast upper q 1.3M at home) exceeds capacity of 4 instances (1.1M); 5 give 1.38M", line);
    }

    [Fact]
    public void Solve_QuotaBelowFloor_FallsBackToCurrentWithExplanation()
    {
        var problem = TwoRegions(2, [100, 100], [100, 100], currentWest: 3, currentEast: 2) with { Quotas = [new RegionQuota("west", "a100", 8)] };

        var plan = _planner.Solve(problem);

        Assert.True(plan.Fallback);
        Assert.Equal(MipStatus.Infeasible, plan.SolverStatus);
        Assert.Contains("infeasible", plan.Explanation);
        Assert.Contains("holding the current instances", plan.Explanation);
        Assert.Equal([3, 3], Series(plan, "west", 2));
        Assert.Equal([2, 2], Series(plan, "east", 2));
        Assert.True(plan.Variables > 0);
    }

    [Fact]
    public void Solve_InfeasibleWithPreviousPlan_KeepsPreviousShiftedOneHour()
    {
        var previous = _planner.Solve(TwoRegions(3, [200, 400, 600], [100, 100, 100]));
        Assert.Equal([2, 4, 6], Series(previous, "west", 3));
        var problem = TwoRegions(3, [100, 100, 100], [100, 100, 100]) with
        {
            Quotas = [new RegionQuota("east", "a100", 8)],
            Previous = previous,
        };

        var plan = _planner.Solve(problem);

        Assert.True(plan.Fallback);
        Assert.Contains("previous plan", plan.Explanation);
        Assert.Equal([4, 6, 6], Series(plan, "west", 3));
    }

    [Fact]
    public void Solve_MissingNativeLibrary_FallsBackNamingThePackage()
    {
        var planner = new IlpPlanner(new CbcSolver(["libDoesNotExist-sageserve.so.9"]));

        var plan = planner.Solve(TwoRegions(1, [250], [50], currentWest: 3));

        Assert.True(plan.Fallback);
        Assert.Null(plan.SolverStatus);
        Assert.Contains("unavailable", plan.Explanation);
        Assert.Contains("coinor-libcbc3", plan.Explanation);
        Assert.Equal(3, plan.InstancesAt("A", "west", 1));
    }

    [Fact]
    public void Solve_TimeLimitBeforeAnyIncumbent_FallsBackSayingSo()
    {
        // 12 regions × 30 models × 3 SKUs as one MIP: CBC needs about a second before its first incumbent here.
        var problem = PlannerBenchmark.CreateProblem(12, 30, 3, 4, seed: 7, routing: true);
        var planner = new IlpPlanner(options: new PlannerOptions { TimeLimit = TimeSpan.FromMilliseconds(20), RelativeGap = 0, DecomposeAboveIntegers = int.MaxValue });

        var plan = planner.Solve(problem);

        Assert.Contains("time limit", plan.Explanation);
        if (plan.Fallback)
        {
            Assert.Equal(MipStatus.TimedOutNoSolution, plan.SolverStatus);
            Assert.Contains("holding the current instances", plan.Explanation);
            Assert.Equal(problem.Current.Sum(c => c.Count) * problem.Hours, plan.InstanceHours);
        }
        else
        {
            Assert.Equal(PlanStatus.Feasible, plan.Status); // a much faster machine may find an incumbent in time
        }
    }

    [Fact]
    public void Solve_TimeLimitWithIncumbent_UsesItAndReportsGap()
    {
        // Proving a zero gap on this problem takes CBC far longer than 0.5 s, but it finds incumbents within ms.
        var problem = PlannerBenchmark.CreateProblem(5, 6, 2, 4, seed: 1, routing: true);
        var planner = new IlpPlanner(options: new PlannerOptions { TimeLimit = TimeSpan.FromMilliseconds(500), RelativeGap = 0, DecomposeAboveIntegers = int.MaxValue });

        var plan = planner.Solve(problem);

        Assert.Equal(PlanStatus.Feasible, plan.Status);
        Assert.Equal(MipStatus.Feasible, plan.SolverStatus);
        Assert.Contains("time limit; using the best incumbent", plan.Explanation);
        Assert.True(plan.Gap > 0 && plan.Gap < 0.1, $"gap {plan.Gap}");
        Assert.All(problem.Models, m => Assert.All(problem.Regions, r => Assert.True(plan.InstancesAt(m, r, 1) >= 2)));
    }

    [Fact]
    public void Solve_NoRoutingNoStartupNoPenalty_EqualsReferenceFormulation()
    {
        var problem = PlannerBenchmark.CreateProblem(3, 4, 1, 4, seed: 11, routing: false) with { ChangePenaltyUsd = 0, NiwBacklog = [] };
        problem = problem with { Configurations = [.. problem.Configurations.Select(c => c with { StartupUsd = 0 })] };

        var ilp = _planner.Solve(problem);
        var reference = ReferencePlanner.Solve(problem);

        Assert.Equal(PlanStatus.Optimal, ilp.Status);
        Assert.Equal(reference.Instances.Select(e => (e.Model, e.Region, e.Hour, e.Count)), ilp.Instances.Select(e => (e.Model, e.Region, e.Hour, e.Count)));
        Assert.Equal(reference.ObjectiveUsd, ilp.ObjectiveUsd, 1e-6);
    }

    [Fact]
    public void Solve_UnknownModelInForecast_ThrowsNamingTheEntry()
    {
        var problem = TwoRegions(1, [1], [1]) with { InteractiveLoad = [new EndpointLoad("Z", "west", 1, 5)] };

        var error = Assert.Throws<ArgumentException>(() => _planner.Solve(problem));

        Assert.Contains("InteractiveLoad[0]", error.Message);
        Assert.Contains("'Z'", error.Message);
    }

    [Fact]
    public void Constructor_NegativeGap_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IlpPlanner(options: new PlannerOptions { RelativeGap = -0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IlpPlanner(options: new PlannerOptions { TimeLimit = TimeSpan.Zero }));
    }
}
