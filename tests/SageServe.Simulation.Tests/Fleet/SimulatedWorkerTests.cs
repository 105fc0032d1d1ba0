using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Grains.Workers;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Performance;

namespace SageServe.Simulation.Tests.Fleet;

public sealed class SimulatedWorkerTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly PerformanceCatalog s_catalog = PerformanceCatalog.Reference();

    private static InferenceRequest Request(long id, int prompt, int output, Tier tier = Tier.Interactive, string model = "A") =>
        new(id, TimeSpan.Zero, new ModelId(model), tier, ImmutableArray.Create(new RegionId("westus")), prompt, output);

    private static List<WorkerCompletion> RunToEnd(SimulatedWorker worker)
    {
        var done = new List<WorkerCompletion>();
        while (worker.NextEventAt is { } next)
        {
            worker.AdvanceTo(next, done);
        }

        return done;
    }

    public static TheoryData<string> ProfiledModels => new() { "A", "B", "C", "D" };

    [Theory]
    [MemberData(nameof(ProfiledModels))]
    public void SingleRequest_AgainstTheProfiledRows_WithinFivePercentOfEndToEnd(string model)
    {
        var profile = s_catalog.Get(new ModelId(model), new SkuId("a100-80gb"));
        var rows = PerfProfileLoader.LoadEmbedded("perf_model_4_models.csv")
            .Where(r => r.Model == model && r.Hardware == "a100-80gb" && r.TensorParallel == profile.Latency.TensorParallel && r.BatchSize == 1 &&
                        r.PromptTokens <= 2048 && r.OutputTokens is >= 128 and <= 256)
            .ToList();
        Assert.NotEmpty(rows);

        foreach (var row in rows)
        {
            var worker = new SimulatedWorker(profile.Latency, maxBatch: 64, profile.KvCapacityTokens);
            Assert.True(worker.TrySubmit(Request(1, row.PromptTokens, row.OutputTokens, model: model), s_t0, out _));
            var done = Assert.Single(RunToEnd(worker));

            // The profile's e2e is prefill plus output × the measured per-token time.
            var expected = row.PrefillSeconds + (row.OutputTokens * row.DecodeSecondsPerToken);
            var actual = (done.CompletedAt - s_t0).TotalSeconds;
            Assert.True(Math.Abs(actual - expected) / expected <= 0.05,
                $"{model} p={row.PromptTokens} o={row.OutputTokens}: simulated {actual:F3}s vs profile {expected:F3}s");
        }
    }

    [Fact]
    public void Batch_DecodesTogether_FasterThanOneAfterAnother()
    {
        var profile = s_catalog.Get(new ModelId("A"), new SkuId("a100-80gb"));
        var batched = new SimulatedWorker(profile.Latency, 64, profile.KvCapacityTokens);
        for (var i = 0; i < 16; i++)
        {
            batched.TrySubmit(Request(i, 500, 200), s_t0, out _);
        }

        var batchedEnd = RunToEnd(batched).Max(c => c.CompletedAt);
        var alone = new SimulatedWorker(profile.Latency, 64, profile.KvCapacityTokens);
        alone.TrySubmit(Request(0, 500, 200), s_t0, out _);
        var aloneEnd = RunToEnd(alone).Single().CompletedAt;

        Assert.True(batchedEnd - s_t0 < (aloneEnd - s_t0) * 4, "16 requests in one batch should take far less than 16 × one");
        Assert.True(batchedEnd > aloneEnd, "a bigger batch iterates slower");
    }

    [Fact]
    public void Arrival_MidDecode_JoinsAtTheNextIterationBoundary()
    {
        var profile = s_catalog.Get(new ModelId("A"), new SkuId("a100-80gb"));
        var worker = new SimulatedWorker(profile.Latency, 64, profile.KvCapacityTokens);
        worker.TrySubmit(Request(1, 100, 1000), s_t0, out _);
        var done = new List<WorkerCompletion>();
        var joinAt = s_t0 + TimeSpan.FromSeconds(5);
        worker.AdvanceTo(joinAt, done);
        worker.TrySubmit(Request(2, 100, 10), joinAt, out _);

        // Its first token comes after one iteration boundary plus its prefill — not after the first request's 1,000 tokens.
        var next = worker.NextEventAt!.Value;
        Assert.True(next - joinAt < TimeSpan.FromSeconds(0.2), $"cut at {next - joinAt}");
        var all = RunToEnd(worker);
        var second = all.Single(c => c.Request.Id == 2);
        Assert.True(second.FirstTokenAt - joinAt < TimeSpan.FromSeconds(0.5));
        Assert.True(second.CompletedAt < all.Single(c => c.Request.Id == 1).CompletedAt);
    }

    [Fact]
    public void Admission_RespectsMaxBatchAndPutsInteractiveBeforeBatchWork()
    {
        var profile = s_catalog.Get(new ModelId("A"), new SkuId("a100-80gb"));
        var worker = new SimulatedWorker(profile.Latency, maxBatch: 2, profile.KvCapacityTokens);
        worker.TrySubmit(Request(1, 100, 50), s_t0, out _);
        worker.TrySubmit(Request(2, 100, 50), s_t0, out _);
        worker.TrySubmit(Request(3, 100, 50, Tier.NonInteractive), s_t0, out _);
        worker.TrySubmit(Request(4, 100, 50, Tier.Interactive), s_t0, out _);

        // Request 1 started prefilling alone at once; the others wait for the next iteration boundary.
        Assert.Equal(1, worker.Load.Running);
        Assert.Equal(3, worker.Load.Waiting);
        var done = new List<WorkerCompletion>();
        worker.AdvanceTo(worker.NextEventAt!.Value, done);
        Assert.Equal(2, worker.Load.Running); // the batch is full at 2
        Assert.Equal(2, worker.Load.Waiting);
        var order = done.Concat(RunToEnd(worker)).Select(c => c.Request.Id).ToList();
        Assert.True(order.IndexOf(4) < order.IndexOf(3), $"interactive 4 should finish before batch 3: {string.Join(",", order)}");
    }

    [Fact]
    public void TrySubmit_LargerThanTheKvCache_IsRefusedWithAReason()
    {
        var profile = s_catalog.Get(new ModelId("A"), new SkuId("a100-80gb"));
        var worker = new SimulatedWorker(profile.Latency, 64, kvCapacityTokens: 1000);

        Assert.False(worker.TrySubmit(Request(1, 900, 200), s_t0, out var reason));
        Assert.Contains("1100", reason, StringComparison.Ordinal);
        Assert.Null(worker.NextEventAt);
    }
}
