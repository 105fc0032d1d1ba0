using SageServe.Planning.Capacity;

namespace SageServe.Planning.Tests.Capacity;

public sealed class ModelProfileTests
{
    [Theory]
    [InlineData("A", 327_680L)]
    [InlineData("B", 4_014_080L)]
    [InlineData("C", 131_072L)]
    [InlineData("D", 114_688L)]
    public void KvBytesPerToken_ReferenceModels_MatchArchitecture(string model, long expected)
    {
        Assert.Equal(expected, ModelProfile.Find(model)!.KvBytesPerToken);
    }

    [Fact]
    public void KvCapacityTokens_Llama70BOnEightA100_FreeMemoryOverKvBytes()
    {
        var options = new SkuCatalogOptions();
        SkuProfile a100 = options.Find("a100-80gb")!;

        long tokens = options.KvCapacityTokens(ModelProfile.Llama2_70B, a100, 8);

        long expected = (long)(((8 * 80.0 * (1L << 30) * 0.9) - 140_000_000_000) / 327_680);
        Assert.Equal(expected, tokens);
        Assert.InRange(tokens, 1_400_000, 1_500_000);
    }

    [Fact]
    public void KvCapacityTokens_BloomOnTwoGpus_WeightsDoNotFitSoZero()
    {
        Assert.Equal(0, ModelProfile.Bloom176B.KvCapacityTokens(2));
    }

    [Fact]
    public void Skus_Defaults_SpotIsFortyPercentOfOnDemand()
    {
        var options = new SkuCatalogOptions();

        Assert.Equal(32.77, options.Find("a100-80gb")!.OnDemandUsdPerHour);
        Assert.Equal(32.77 * 0.4, options.Find("a100-80gb")!.SpotUsdPerHour, 1e-9);
        Assert.Equal(98.32 * 0.4, options.Find("h100-80gb")!.SpotUsdPerHour, 1e-9);
        Assert.Equal(8, options.Find("h100-80gb")!.Gpus);
    }
}
