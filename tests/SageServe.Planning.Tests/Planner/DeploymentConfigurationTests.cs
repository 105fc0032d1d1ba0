using SageServe.Planning.Capacity;
using SageServe.Planning.Planner;

namespace SageServe.Planning.Tests.Planner;

public sealed class DeploymentConfigurationTests
{
    private static readonly LatencyFitError s_fit = new(0, 0, 0);
    private static readonly SkuProfile s_a100 = new SkuCatalogOptions().Skus[0];

    // The hand-computed capacity case: 13 sequences, 13 / 19.3 requests/s, 500-token prompts.
    private static CapacityModel Capacity(int tensorParallel = 8) =>
        new(new LatencyModel("A", "a100-80gb", tensorParallel, 0.1, 0, 0, 0.05, 0.01, 0, s_fit, s_fit), 1_000_000, CapacityModelWorkload.FromMeans(500, 100));

    [Fact]
    public void FromCapacity_Tp8OnDemand_WholeVmPriceAndStartupAtThatPrice()
    {
        var config = DeploymentConfiguration.FromCapacity(Capacity(), s_a100, TimeSpan.FromMinutes(10));

        Assert.Equal(("A", "a100-80gb", 8, 8), (config.Model, config.Sku, config.TensorParallel, config.Gpus));
        Assert.Equal(500 * 13 / 19.3, config.CapacityPerInstance, 1e-9);
        Assert.Equal(32.77, config.UsdPerHour, 1e-9);
        Assert.Equal(32.77 / 6, config.StartupUsd, 1e-9);
    }

    [Fact]
    public void FromCapacity_Tp2Spot_ProRataSpotPrice()
    {
        var config = DeploymentConfiguration.FromCapacity(Capacity(2), s_a100, TimeSpan.FromSeconds(155), spot: true);

        Assert.Equal(32.77 * 0.4 / 4, config.UsdPerHour, 1e-9);
        Assert.Equal(2, config.Gpus);
    }

    [Fact]
    public void FromCapacity_OtherSku_Throws()
    {
        var h100 = new SkuCatalogOptions().Skus[1];

        var error = Assert.Throws<ArgumentException>(() => DeploymentConfiguration.FromCapacity(Capacity(), h100, TimeSpan.Zero));

        Assert.Contains("h100-80gb", error.Message);
    }

    [Fact]
    public void ReferencePlanner_WithCapacityModel_MatchesMinInstances()
    {
        var capacity = Capacity();
        var config = DeploymentConfiguration.FromCapacity(capacity, s_a100, TimeSpan.Zero);
        double[] loads = [0, 1000, 2345.6, 10_000];
        var problem = new PlanningProblem
        {
            Models = ["A"],
            Regions = ["westus"],
            Configurations = [config],
            Hours = loads.Length,
            InteractiveLoad = [.. loads.Select((load, t) => new EndpointLoad("A", "westus", t + 1, load))],
        };

        var plan = ReferencePlanner.Solve(problem);

        for (var t = 0; t < loads.Length; t++)
        {
            Assert.Equal(Math.Max(2, capacity.MinInstancesForPromptTokens(loads[t])), plan.InstancesAt("A", "westus", t + 1));
        }

        Assert.Equal(30, plan.InstancesAt("A", "westus", 4)); // 10,000 / 336.79 prompt tok/s per instance = 29.7
    }
}
