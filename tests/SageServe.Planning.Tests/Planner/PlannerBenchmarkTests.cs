using SageServe.Planning.Planner;
using Xunit.Abstractions;

namespace SageServe.Planning.Tests.Planner;

public sealed class PlannerBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void Run_ReferenceScale_SolvesToOptimality()
    {
        var report = PlannerBenchmark.Run(regions: 3, models: 4, skus: 1, hours: 4, seed: 1, routing: true);
        output.WriteLine(report);

        Assert.Contains("ILP: Optimal", report);
    }

    /// <summary>The large-scale benchmark (docs/benchmarks-planner.md). Takes ~10 s, so it runs only when
    /// SAGESERVE_PLANNER_BENCHMARK=1: <c>SAGESERVE_PLANNER_BENCHMARK=1 dotnet test tests/SageServe.Planning.Tests -c Release --filter PlannerBenchmark --logger "console;verbosity=detailed"</c>.</summary>
    [Fact]
    public void Run_LargeScale_ReportsWhenEnabled()
    {
        if (Environment.GetEnvironmentVariable("SAGESERVE_PLANNER_BENCHMARK") != "1")
        {
            return;
        }

        foreach (var seed in new[] { 1, 2, 3 })
        {
            output.WriteLine(PlannerBenchmark.Run(regions: 3, models: 4, skus: 1, hours: 4, seed: seed, routing: true));
            output.WriteLine(PlannerBenchmark.Run(regions: 3, models: 4, skus: 1, hours: 4, seed: seed, routing: false));
            var report = PlannerBenchmark.Run(regions: 20, models: 50, skus: 3, hours: 4, seed: seed, routing: true);
            output.WriteLine(report);
            Assert.DoesNotContain("fallback", report);
        }
    }
}
