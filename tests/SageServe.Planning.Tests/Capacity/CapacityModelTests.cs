using SageServe.Planning.Capacity;

namespace SageServe.Planning.Tests.Capacity;

public sealed class CapacityModelTests
{
    private static readonly LatencyFitError s_fit = new(0, 0, 0);

    // Constant 100 ms prefill; decode iteration 50 ms + 10 ms per sequence (no context term).
    private static LatencyModel Simple(double perSequence = 0.01, double fixedDecode = 0.05) =>
        new("X", "s", 8, 0.1, 0, 0, fixedDecode, perSequence, 0, s_fit, s_fit);

    // Llama-2-70B-like on 8×A100: 20 ms + 0.12 ms/token prefill, 30 ms + 0.2 ms/seq + 30 ns/context token decode.
    private static LatencyModel Realistic(double speed = 1.0) =>
        new("A", "a100-80gb", 8, 0.02 / speed, 1.2e-4 / speed, 1e-9 / speed, 0.03 / speed, 2e-4 / speed, 3e-8 / speed, s_fit, s_fit);

    [Fact]
    public void Constructor_HandComputedCase_MatchesTbtBoundAndCycleRate()
    {
        // Mean TBT(B) = 0.05 + 0.01·B + B·0.1/100 = 0.05 + 0.011·B ≤ 0.2 → B = 13.
        // Cycle = 100 × (0.05 + 0.13) + 13 × 0.1 = 19.3 s for 13 requests; TTFT slack (2.1 s) is far from binding.
        var model = new CapacityModel(Simple(), 1_000_000, CapacityModelWorkload.FromMeans(500, 100));

        Assert.Equal(13, model.MaxBatchSize);
        Assert.Equal(13.0 / 19.3, model.MaxRequestsPerSecond, 1e-9);
        Assert.Equal(500 * 13.0 / 19.3, model.MaxPromptTokensPerSecond, 1e-6);
        Assert.Equal(0.18, model.IterationTime.TotalSeconds, 1e-6);
        Assert.Equal(0.193, model.MeanTbt.TotalSeconds, 1e-6);
        Assert.Equal(CapacityModelLimit.MeanTbt, model.Limit);
    }

    [Fact]
    public void Constructor_KvFitsFewSequences_KvBindsTheBatch()
    {
        // 600 tokens per sequence; 3000 tokens of KV hold 5 sequences (TBT alone would allow 13).
        var model = new CapacityModel(Simple(), 3000, CapacityModelWorkload.FromMeans(500, 100));

        Assert.Equal(5, model.MaxBatchSize);
        Assert.Equal(CapacityModelLimit.KvCache, model.Limit);
        Assert.Equal(5.0 / ((100 * 0.1) + 0.5), model.MaxRequestsPerSecond, 1e-9);
    }

    [Fact]
    public void MaxRequestsPerSecond_MoreKv_NeverLess()
    {
        var workload = CapacityModelWorkload.FromMeans(1000, 222);
        var previous = 0.0;
        foreach (var kv in new long[] { 1000, 5000, 20_000, 100_000, 500_000, 2_000_000 })
        {
            var rate = new CapacityModel(Realistic(), kv, workload).MaxRequestsPerSecond;
            Assert.True(rate >= previous, $"kv {kv}: {rate} < {previous}");
            previous = rate;
        }

        Assert.True(new CapacityModel(Realistic(), 500_000, workload).MaxRequestsPerSecond > new CapacityModel(Realistic(), 5000, workload).MaxRequestsPerSecond);
    }

    [Fact]
    public void MaxRequestsPerSecond_FasterModel_MoreCapacity()
    {
        var workload = CapacityModelWorkload.FromMeans(1000, 222);
        var slow = new CapacityModel(Realistic(1.0), 1_000_000, workload);
        var fast = new CapacityModel(Realistic(2.0), 1_000_000, workload);

        Assert.True(fast.MaxRequestsPerSecond > 1.5 * slow.MaxRequestsPerSecond, $"{fast} vs {slow}");
    }

    [Fact]
    public void MaxRequestsPerSecond_TighterSlo_LessCapacity()
    {
        var workload = CapacityModelWorkload.FromMeans(1000, 222);
        var loose = new CapacityModel(Realistic(), 1_000_000, workload);
        var tighterTbt = new CapacityModel(Realistic(), 1_000_000, workload, new CapacityModelOptions { MeanTbt = TimeSpan.FromMilliseconds(80) });
        var tighterTtft = new CapacityModel(Realistic(), 1_000_000, workload,
            new CapacityModelOptions { TtftBase = TimeSpan.FromMilliseconds(150), TtftPrefillMultiple = 1.0 });

        Assert.True(tighterTbt.MaxRequestsPerSecond < loose.MaxRequestsPerSecond, $"{tighterTbt} vs {loose}");
        Assert.True(tighterTtft.MaxRequestsPerSecond < loose.MaxRequestsPerSecond, $"{tighterTtft} vs {loose}");
        Assert.Equal(CapacityModelLimit.Ttft, tighterTtft.Limit);
    }

    [Fact]
    public void Constructor_TtftBinding_QuantileWaitWithinBudget()
    {
        var options = new CapacityModelOptions { TtftBase = TimeSpan.FromMilliseconds(150), TtftPrefillMultiple = 1.0 };
        var model = new CapacityModel(Realistic(), 1_000_000, CapacityModelWorkload.FromMeans(1000, 222), options);
        var prefill = Realistic().PrefillSeconds(1000);

        var wait = CapacityModel.WaitQuantile(model.MaxRequestsPerSecond, prefill, prefill * prefill, 0.95);

        Assert.True(model.MaxRequestsPerSecond > 0);
        Assert.True(wait + model.IterationTime.TotalSeconds <= 0.15 + 1e-9, $"wait {wait} + iteration {model.IterationTime}");
    }

    [Fact]
    public void Constructor_DistributionOfShapes_UsesWeightedMeans()
    {
        var mixed = new CapacityModelWorkload([new(200, 100, 3), new(1800, 300, 1)]);

        Assert.Equal(600, mixed.MeanPromptTokens, 1e-12);
        Assert.Equal(150, mixed.MeanOutputTokens, 1e-12);
        var model = new CapacityModel(Realistic(), 1_000_000, mixed);
        Assert.Equal(model.MaxRequestsPerSecond * 600, model.MaxPromptTokensPerSecond, 1e-9);
        Assert.True(model.MaxRequestsPerSecond > 0);
    }

    [Fact]
    public void Constructor_DecodeAloneSlowerThanTbt_Infeasible()
    {
        var model = new CapacityModel(Simple(fixedDecode: 0.25), 1_000_000, CapacityModelWorkload.FromMeans(500, 100));

        Assert.Equal(0, model.MaxRequestsPerSecond);
        Assert.Equal(CapacityModelLimit.Infeasible, model.Limit);
        Assert.Equal(0, model.MinInstances(0));
        var error = Assert.Throws<InvalidOperationException>(() => model.MinInstances(1));
        Assert.Contains("cannot meet the SLO", error.Message);
    }

    [Fact]
    public void MinInstances_LoadAtAndAboveMultiples_RoundsUp()
    {
        var model = new CapacityModel(Simple(), 1_000_000, CapacityModelWorkload.FromMeans(500, 100));
        var rate = model.MaxRequestsPerSecond;

        Assert.Equal(0, model.MinInstances(0));
        Assert.Equal(1, model.MinInstances(rate * 0.01));
        Assert.Equal(1, model.MinInstances(rate));
        Assert.Equal(3, model.MinInstances(rate * 3));
        Assert.Equal(3, model.MinInstances(rate * 3 * (1 + 1e-13)));
        Assert.Equal(4, model.MinInstances(rate * 3.001));
        Assert.Equal(4, model.MinInstancesForPromptTokens(model.MaxPromptTokensPerSecond * 3.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.MinInstances(-1));
    }

    [Fact]
    public void Constructor_ReferenceModelOnA100_PlausibleCapacity()
    {
        var kv = new SkuCatalogOptions().KvCapacityTokens(ModelProfile.Llama2_70B, new SkuCatalogOptions().Skus[0], 8);
        var model = new CapacityModel(Realistic(), kv, CapacityModelWorkload.FromMeans(1000, 222));

        // Tens of concurrent sequences and a few requests per second: the right order for a 70B model on 8 GPUs.
        Assert.InRange(model.MaxBatchSize, 10, 2000);
        Assert.InRange(model.MaxRequestsPerSecond, 0.5, 100);
        Assert.True(model.MeanTbt <= TimeSpan.FromMilliseconds(200));
    }
}
