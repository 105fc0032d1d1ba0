using SageServe.Grains.Domain;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Tests.Workloads;

public sealed class TraceRoundTripTests
{
    private static readonly InferenceRequest[] s_requests =
        [.. new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions { RequestsPerDay = 30_000, Seed = 7 }).Generate()];

    [Fact]
    public void SageServe_WriteThenRead_IdenticalRequests()
    {
        var writer = new StringWriter();
        long written = SageServeTraceWriter.Write(writer, s_requests);

        InferenceRequest[] read = [.. SageServeTraceReader.Read(new StringReader(writer.ToString()), "mem.csv")];

        Assert.Equal(s_requests.Length, written);
        Assert.Equal(s_requests.Length, read.Length);
        Assert.All(s_requests.Zip(read), p => AssertSame(p.First, p.Second));
    }

    [Fact]
    public void SageServe_NiwWithCustomDeadline_DeadlineCarriedInSla()
    {
        var request = new InferenceRequest(5, TimeSpan.FromSeconds(1.5), new ModelId("B"), Tier.NonInteractive, [new("eastus"), new("westus")], 10, 20, TimeSpan.FromHours(24));
        var writer = new StringWriter();
        SageServeTraceWriter.Write(writer, [request]);

        InferenceRequest read = SageServeTraceReader.Read(new StringReader(writer.ToString()), "mem.csv").Single();

        AssertSame(request, read);
        Assert.Contains(",86400,1,20,B,dev,", writer.ToString());
    }

    [Fact]
    public void SageServe_ReorderedAndExtraColumns_ReadByHeaderName()
    {
        const string csv = "token_size,prompt_size,arrival_timestamp,workload_type,model_type,regions,request_id,extra\n" +
            "20,10,0.25,prod,C,201,7,x\n" +
            "5,6,1.5,dev,D,1,8,y\n";

        InferenceRequest[] read = [.. SageServeTraceReader.Read(new StringReader(csv), "r.csv")];

        Assert.Equal((7L, TimeSpan.FromSeconds(0.25), new ModelId("C"), Tier.Interactive, 10, 20, (TimeSpan?)null), (read[0].Id, read[0].Arrival, read[0].Model, read[0].Tier, read[0].PromptTokens, read[0].OutputTokens, read[0].Deadline));
        Assert.Equal(["eastus", "westus", "centralus"], read[0].RegionPreference.Select(r => r.Name).ToArray());
        Assert.Equal((Tier.NonInteractive, (TimeSpan?)TimeSpan.FromHours(12)), (read[1].Tier, read[1].Deadline));
        Assert.Equal(new RegionId("centralus"), read[1].HomeRegion);
    }

    [Fact]
    public void Azure_WriteThenRead_ArrivalsAndTokensIdentical()
    {
        var writer = new StringWriter();
        AzureTraceWriter.Write(writer, s_requests);

        InferenceRequest[] read = [.. AzureTraceReader.Read(new StringReader(writer.ToString()), "mem.csv", new TraceAssignment(), origin: AzureTraceWriter.DefaultOrigin)];

        Assert.Equal(s_requests.Select(r => (r.Arrival, r.PromptTokens, r.OutputTokens)), read.Select(r => (r.Arrival, r.PromptTokens, r.OutputTokens)));
    }

    [Fact]
    public void Mooncake_WriteThenRead_ArrivalsAndTokensIdentical()
    {
        var writer = new StringWriter();
        MooncakeTrace.Write(writer, s_requests);

        InferenceRequest[] read = [.. MooncakeTrace.Read(new StringReader(writer.ToString()), "mem.jsonl", new TraceAssignment())];

        Assert.Equal(s_requests.Select(r => (r.Arrival, r.PromptTokens, r.OutputTokens)), read.Select(r => (r.Arrival, r.PromptTokens, r.OutputTokens)));
    }

    [Fact]
    public void Mooncake_HashIdsAndFractionalTimestamp_Ignored()
    {
        const string line = "{\"timestamp\": 1500.5, \"input_length\": 6955, \"output_length\": 52, \"hash_ids\": [46, 47, 48]}\n";

        InferenceRequest r = MooncakeTrace.Read(new StringReader(line), "m.jsonl", new TraceAssignment()).Single();

        Assert.Equal((TimeSpan.FromMilliseconds(1500.5), 6955, 52), (r.Arrival, r.PromptTokens, r.OutputTokens));
    }

    [Fact]
    public void Assignment_SameSeed_DeterministicAndRoughlyProportional()
    {
        var assignment = new TraceAssignment { Seed = 3 };
        var first = Enumerable.Range(0, 20_000).Select(i => assignment.Assign(i)).ToList();
        var second = Enumerable.Range(0, 20_000).Select(i => new TraceAssignment { Seed = 3 }.Assign(i)).ToList();

        Assert.True(first.Zip(second).All(p => p.First.Model == p.Second.Model && p.First.Tier == p.Second.Tier && p.First.Preference.SequenceEqual(p.Second.Preference)));
        Assert.InRange(first.Count(a => a.Tier == Tier.NonInteractive) / 20_000.0, 0.13, 0.15);
        Assert.InRange(first.Count(a => a.Preference[0] == new RegionId("westus")) / 20_000.0, 0.43, 0.47);
        Assert.InRange(first.Count(a => a.Model == new ModelId("A")) / 20_000.0, 0.43, 0.47);
    }

    [Fact]
    public void EmbeddedAzureTraces_LoadCompletely()
    {
        Assert.Equal(8_819, EmpiricalTokenLengths.Code.Count);
        Assert.Equal(19_366, EmpiricalTokenLengths.Conversation.Count);
    }

    [Fact]
    public void TraceTool_GenerateStatsConvert_FilesWrittenAndReadable()
    {
        string dir = Directory.CreateTempSubdirectory("sageserve-trace-").FullName;
        try
        {
            string csv = Path.Combine(dir, "day.csv");
            string jsonl = Path.Combine(dir, "day.jsonl");
            string azure = Path.Combine(dir, "day-azure.csv");
            string html = Path.Combine(dir, "stats.html");

            long generated = TraceTool.Generate(new SyntheticWorkloadOptions { RequestsPerDay = 20_000 }, csv, TraceFormat.SageServe);
            long converted = TraceTool.Convert(csv, TraceTool.DetectFormat(csv), jsonl, TraceFormat.Mooncake);
            TraceTool.Convert(csv, TraceFormat.SageServe, azure, TraceFormat.Azure);
            TraceStatsResult stats = TraceTool.Stats(csv, TraceFormat.SageServe, html);

            Assert.Equal(generated, converted);
            Assert.Equal(TraceFormat.Azure, TraceTool.DetectFormat(azure));
            Assert.Equal(TraceFormat.Mooncake, TraceTool.DetectFormat(jsonl));
            Assert.Equal(generated, TraceTool.Read(azure, TraceFormat.Azure).LongCount());
            Assert.Equal(generated, stats.Stats.Total);
            Assert.Contains("NIW share", stats.Text);
            string page = File.ReadAllText(html);
            Assert.Contains("<svg", page);
            Assert.DoesNotContain("<script", page);
            Assert.DoesNotContain("http://cdn", page);
            Assert.Equal(["day-azure.csv", "day.csv", "day.jsonl", "stats.html"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void AssertSame(InferenceRequest expected, InferenceRequest actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Arrival, actual.Arrival);
        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal(expected.Tier, actual.Tier);
        Assert.Equal(expected.RegionPreference.ToArray(), actual.RegionPreference.ToArray());
        Assert.Equal(expected.PromptTokens, actual.PromptTokens);
        Assert.Equal(expected.OutputTokens, actual.OutputTokens);
        Assert.Equal(expected.Deadline, actual.Deadline);
    }
}
