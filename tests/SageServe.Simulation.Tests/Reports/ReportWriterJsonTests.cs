using System.Text;
using System.Text.Json;
using SageServe.Simulation.Reports;

namespace SageServe.Simulation.Tests.Reports;

public sealed class ReportWriterJsonTests
{
    private static byte[] Json(ExperimentReport report)
    {
        using var stream = new MemoryStream();
        ReportWriter.WriteSummaryJson(report, stream);
        return stream.ToArray();
    }

    [Fact]
    public void WriteSummaryJson_SameReportTwice_ByteIdentical()
    {
        var report = TestReports.Build(["Reactive", "LT-I", "LT-UA"]);

        Assert.Equal(Json(report), Json(report));
    }

    [Fact]
    public void WriteSummaryJson_DictionariesFilledInDifferentOrder_ByteIdentical()
    {
        var forward = TestReports.Build(["Reactive", "LT-UA"]);
        var reversed = TestReports.Build(["Reactive", "LT-UA"], reverseInsertion: true);

        Assert.Equal(Encoding.UTF8.GetString(Json(forward)), Encoding.UTF8.GetString(Json(reversed)));
    }

    [Fact]
    public void WriteSummaryJson_Format_CamelCaseIndentedWithLfAndTrailingNewline()
    {
        var text = Encoding.UTF8.GetString(Json(TestReports.Build(["Reactive"])));

        Assert.StartsWith("{\n  \"schemaVersion\": 1,\n  \"seed\": 42,\n  \"workload\": {", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Contains("\"wastedGpuHours\":", text, StringComparison.Ordinal);
        Assert.Contains("\"niwQueueDepth\":", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteSummaryJson_ThenRead_HeadlineFieldsRoundTrip()
    {
        var report = TestReports.Build(["Reactive", "LT-I", "LT-UA"]);

        var back = ReportWriter.ReadSummaryJson(new MemoryStream(Json(report)));

        Assert.Equal(report.SchemaVersion, back.SchemaVersion);
        Assert.Equal(report.Workload, back.Workload);
        Assert.Equal(report.Strategies.Select(s => s.Name), back.Strategies.Select(s => s.Name));
        for (var i = 0; i < report.Strategies.Count; i++)
        {
            var (a, b) = (report.Strategies[i], back.Strategies[i]);
            Assert.Equal(a.GpuHours, b.GpuHours, 1e-5 * a.GpuHours);
            Assert.Equal(a.CostUsd, b.CostUsd, 1e-5 * a.CostUsd);
            Assert.Equal(a.WastedGpuHours, b.WastedGpuHours, 1e-5 * a.WastedGpuHours);
            Assert.Equal(a.Iw, b.Iw);
            Assert.Equal(a.Niw, b.Niw);
            Assert.Equal(a.ScalingEvents, b.ScalingEvents);
            Assert.Equal(a.Accounting.Arrived, b.Accounting.Arrived);
            Assert.Equal(a.Accounting.RejectedByReason["queue-full"], b.Accounting.RejectedByReason["queue-full"]);
            Assert.Equal(a.Series.Instances["eastus/bloom-176b"], b.Series.Instances["eastus/bloom-176b"]);
            Assert.Equal(a.Latency.Quantiles, b.Latency.Quantiles);
        }

        // Reading and writing again is a fixed point: rounding happened once.
        Assert.Equal(Json(report), Json(back));
    }

    [Fact]
    public void WriteSummaryJson_Dictionaries_KeysInOrdinalOrderAndSlicesByName()
    {
        var report = TestReports.Build(["Reactive"], extraModel: "Zeta", reverseInsertion: true);

        using var doc = JsonDocument.Parse(Json(report));
        var strategy = doc.RootElement.GetProperty("strategies")[0];
        string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];
        void AssertOrdinal(string[] keys)
        {
            Assert.NotEmpty(keys);
            Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        }

        var instances = Keys(strategy.GetProperty("series").GetProperty("instances"));
        AssertOrdinal(instances);
        Assert.Equal("centralus/Zeta", instances[0]); // ordinal: upper case before lower case
        AssertOrdinal(Keys(strategy.GetProperty("series").GetProperty("gpus")));
        AssertOrdinal(Keys(strategy.GetProperty("series").GetProperty("arrivals")));
        AssertOrdinal(Keys(strategy.GetProperty("latency").GetProperty("series")));
        AssertOrdinal(Keys(strategy.GetProperty("accounting").GetProperty("rejectedByReason")));
        AssertOrdinal([.. strategy.GetProperty("byRegion").EnumerateArray().Select(e => e.GetProperty("name").GetString()!)]);
        AssertOrdinal([.. strategy.GetProperty("byModel").EnumerateArray().Select(e => e.GetProperty("name").GetString()!)]);
    }

    [Fact]
    public void WriteSummaryJson_NonFiniteDoubles_WrittenAsNullAndReadBackAsNaN()
    {
        var s = TestReports.Build(["Reactive"]).Strategies[0];
        var broken = s with
        {
            CostUsd = double.PositiveInfinity,
            Iw = s.Iw with { SloAttainment = double.NaN },
            Latency = s.Latency with { Series = new Dictionary<string, IReadOnlyList<double>> { ["interactive.ttft"] = [0.1, double.NegativeInfinity, double.NaN] } },
        };
        var report = TestReports.Build(["Reactive"]) with { Strategies = [broken] };

        var text = Encoding.UTF8.GetString(Json(report));
        using var doc = JsonDocument.Parse(text);
        var strategy = doc.RootElement.GetProperty("strategies")[0];

        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, strategy.GetProperty("costUsd").ValueKind);
        Assert.Equal(JsonValueKind.Null, strategy.GetProperty("iw").GetProperty("sloAttainment").ValueKind);
        var ttft = strategy.GetProperty("latency").GetProperty("series").GetProperty("interactive.ttft");
        Assert.Equal([JsonValueKind.Number, JsonValueKind.Null, JsonValueKind.Null], ttft.EnumerateArray().Select(e => e.ValueKind));
        var back = ReportWriter.ReadSummaryJson(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        Assert.True(double.IsNaN(back.Strategies[0].CostUsd));
        Assert.True(double.IsNaN(back.Strategies[0].Iw.SloAttainment));
    }

    [Fact]
    public void WriteSummaryJson_FloatNoise_RoundedToSixSignificantDigits()
    {
        var s = TestReports.Build(["Reactive"]).Strategies[0];
        var report = TestReports.Build(["Reactive"]) with { Strategies = [s with { GpuHours = 0.1 + 0.2, CostUsd = 17698.123456789, WastedGpuHours = -0.0 }] };

        var strategy = JsonDocument.Parse(Json(report)).RootElement.GetProperty("strategies")[0];

        Assert.Equal("0.3", strategy.GetProperty("gpuHours").GetRawText());
        Assert.Equal("17698.1", strategy.GetProperty("costUsd").GetRawText());
        Assert.Equal("0", strategy.GetProperty("wastedGpuHours").GetRawText());
    }

    [Fact]
    public void ReadSummaryJson_Malformed_ThrowsWithPosition()
    {
        var e = Assert.Throws<InvalidDataException>(() => ReportWriter.ReadSummaryJson(new MemoryStream("{\"schemaVersion\": \"x\"}"u8.ToArray())));

        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("schemaVersion", e.Message, StringComparison.Ordinal);
    }
}
