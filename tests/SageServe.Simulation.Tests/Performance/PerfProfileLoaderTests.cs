using SageServe.Simulation.Performance;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Tests.Performance;

public sealed class PerfProfileLoaderTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void LoadEmbedded_ModelARow_MillisecondsConvertedToSecondsPerToken()
    {
        // A,a100-80gb,512,1,128,...,196.2532191537321,54.87951193752838,7168.983697891235,2 (first data row)
        PerfSample s = PerfProfileLoader.LoadEmbedded("perf_model_4_models.csv")[0];

        Assert.Equal(("A", "a100-80gb", 2, 512, 1, 128), (s.Model, s.Hardware, s.TensorParallel, s.PromptTokens, s.BatchSize, s.OutputTokens));
        Assert.Equal(0.1962532191537321, s.PrefillSeconds, Tolerance);
        Assert.Equal(0.05487951193752838, s.DecodeSecondsPerToken, Tolerance);
        Assert.Equal(7.168983697891235, s.EndToEndSeconds, Tolerance);
    }

    [Fact]
    public void LoadEmbedded_ModelCRow_SecondsAndTotalDecodeDividedByTokens()
    {
        // C,a100-80gb,128,1,128,0,0,0.0263564586639404,1.0914227962493896,1.120187759399414,4
        PerfSample s = PerfProfileLoader.LoadEmbedded("perf_model_4_models.csv").First(r => r.Model == "C");

        Assert.Equal((4, 128, 1, 128), (s.TensorParallel, s.PromptTokens, s.BatchSize, s.OutputTokens));
        Assert.Equal(0.0263564586639404, s.PrefillSeconds, Tolerance);
        Assert.Equal(1.0914227962493896 / 128, s.DecodeSecondsPerToken, Tolerance);
        Assert.Equal(1.120187759399414, s.EndToEndSeconds, Tolerance);
    }

    [Fact]
    public void LoadEmbedded_ModelDLongOutputRow_PerTokenTimeIsTotalOverTokens()
    {
        PerfSample s = PerfProfileLoader.LoadEmbedded("perf_model_4_models.csv")
            .First(r => r.Model == "D" && r.TensorParallel == 8 && r.OutputTokens == 8192);

        // Per-token decode of a 3B model on A100 is a few milliseconds, never seconds.
        Assert.InRange(s.DecodeSecondsPerToken, 0.002, 0.02);
        Assert.InRange(s.EndToEndSeconds, s.DecodeSecondsPerToken * 8192, s.DecodeSecondsPerToken * 8192 * 1.1);
    }

    [Fact]
    public void LoadEmbedded_LlamaFileRow_SecondsAndTotalDecode()
    {
        // Llama-3.2-3B,a100-80gb,128,1,128,0,0,0.024418115615844727,0.6934380531311035,0.7204117774963379,2
        PerfSample s = PerfProfileLoader.LoadEmbedded("Llama-3.2-3B-tp-2.csv")[0];

        Assert.Equal(("Llama-3.2-3B", 2), (s.Model, s.TensorParallel));
        Assert.Equal(0.024418115615844727, s.PrefillSeconds, Tolerance);
        Assert.Equal(0.6934380531311035 / 128, s.DecodeSecondsPerToken, Tolerance);
    }

    [Fact]
    public void LoadEmbedded_Llama2Row_MillisecondsConverted()
    {
        // llama2-70b,a100-80gb,512,1,128,...,196.2532191537321,54.87951193752838,7168.983697891235,2
        PerfSample s = PerfProfileLoader.LoadEmbedded("perf_model.csv")[0];

        Assert.Equal("llama2-70b", s.Model);
        Assert.Equal(0.05487951193752838, s.DecodeSecondsPerToken, Tolerance);
    }

    [Fact]
    public void LoadAllEmbedded_EveryRow_DecodePerTokenBetweenOneAndHundredMilliseconds()
    {
        IReadOnlyList<PerfSample> all = PerfProfileLoader.LoadAllEmbedded();

        Assert.Equal(1260 + 1660 + 400, all.Count);
        Assert.All(all, s => Assert.InRange(s.DecodeSecondsPerToken, 0.001, 0.1));
        Assert.All(all, s => Assert.InRange(s.PrefillSeconds, 0.005, 60));
    }

    [Fact]
    public void Load_BadNumber_ThrowsWithLineAndField()
    {
        const string csv = "model,hardware,prompt_size,batch_size,token_size,peak_power,average_power,prompt_time,token_time,e2e_time,tensor_parallel\n" +
            "A,a100-80gb,512,1,128,1,1,196.2,54.8,7168.9,2\n" +
            "A,a100-80gb,512,1,128,1,1,abc,54.8,7168.9,2\n";

        var ex = Assert.Throws<TraceFormatException>(() => PerfProfileLoader.Load(new StringReader(csv), "perf.csv"));

        Assert.Equal((3L, "prompt_time"), (ex.Line, ex.Field));
        Assert.StartsWith("perf.csv:3: prompt_time: ", ex.Message);
    }
}
