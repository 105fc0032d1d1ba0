using SageServe.Planning.Capacity;
using SageServe.Simulation.Performance;
using Xunit.Abstractions;

namespace SageServe.Simulation.Tests.Performance;

public sealed class PerfModelFitterTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<PerfSample> s_all = PerfProfileLoader.LoadAllEmbedded();
    private static readonly IReadOnlyList<LatencyModel> s_models = PerfModelFitter.FitAll(s_all);

    [Fact]
    public void FitAll_EveryConfiguration_PrefillAndDecodeWithinTenPercentOnAverage()
    {
        foreach (LatencyModel m in s_models)
        {
            output.WriteLine($"{m.Model}/{m.Sku}/tp{m.TensorParallel}: prefill {m.PrefillFit}; decode {m.DecodeFit}");
        }

        // 16 (A–D) + 12 (llama2/bloom) + 4 (Llama-3.* files).
        Assert.Equal(32, s_models.Count);
        // Llama-3.2-3B (D) prefill is 20–50 ms and non-convex between 2k and 8k tokens; a quadratic reaches ~11%.
        Assert.All(s_models, m => Assert.True(m.PrefillFit.MeanRelative < (IsLlama32(m.Model) ? 0.12 : 0.10), m.ToString()));
        Assert.All(s_models, m => Assert.True(m.DecodeFit.MeanRelative < 0.10, m.ToString()));
        Assert.All(s_models, m => Assert.True(m.PrefillFixedSeconds >= 0 && m.PrefillSecondsPerToken >= 0 && m.PrefillSecondsPerTokenSquared >= 0 && m.DecodeFixedSeconds >= 0 && m.DecodeSecondsPerSequence >= 0 && m.DecodeSecondsPerContextToken >= 0));
    }

    private static bool IsLlama32(string model) => model is "D" or "Llama-3.2-3B";

    [Theory]
    [InlineData("A", "a100-80gb", 8, 512, 128)]
    [InlineData("A", "h100-80gb", 4, 1024, 128)]
    [InlineData("B", "a100-80gb", 8, 512, 128)]
    [InlineData("C", "a100-80gb", 4, 512, 128)]
    [InlineData("D", "a100-80gb", 8, 2048, 128)]
    [InlineData("A", "a100-80gb", 8, 512, 256)]
    public void SingleRequestSeconds_PinnedProfileRow_WithinFivePercentOfMeasuredEndToEnd(string model, string sku, int tp, int prompt, int outputTokens)
    {
        LatencyModel fitted = s_models.Single(m => m.Model == model && m.Sku == sku && m.TensorParallel == tp);
        double measured = s_all
            .Where(s => s.Source == "perf_model_4_models.csv" && s.Model == model && s.Hardware == sku && s.TensorParallel == tp
                && s.PromptTokens == prompt && s.BatchSize == 1 && s.OutputTokens == outputTokens)
            .Average(s => s.EndToEndSeconds);

        double predicted = fitted.SingleRequestSeconds(prompt, outputTokens);

        output.WriteLine($"predicted {predicted:F4} s, measured {measured:F4} s");
        Assert.InRange(predicted / measured, 0.95, 1.05);
    }

    [Fact]
    public void FitReferenceModels_FourModels_CoverEveryProfiledConfiguration()
    {
        IReadOnlyList<LatencyModel> models = PerfModelFitter.FitReferenceModels();

        Assert.Equal(["A", "B", "C", "D"], models.Select(m => m.Model).Distinct().ToArray());
        Assert.Equal(16, models.Count);
    }
}
