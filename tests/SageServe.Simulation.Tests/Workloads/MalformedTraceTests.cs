using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Tests.Workloads;

public sealed class MalformedTraceTests
{
    public static TheoryData<string, TraceFormat, string, long> Cases => new()
    {
        { "sage_empty.csv", TraceFormat.SageServe, "header", 1 },
        { "sage_missing_column.csv", TraceFormat.SageServe, "prompt_size", 1 },
        { "sage_bad_number.csv", TraceFormat.SageServe, "prompt_size", 3 },
        { "sage_zero_tokens.csv", TraceFormat.SageServe, "token_size", 2 },
        { "sage_negative_tokens.csv", TraceFormat.SageServe, "prompt_size", 4 },
        { "sage_unsorted.csv", TraceFormat.SageServe, "arrival_timestamp", 4 },
        { "sage_duplicate_id.csv", TraceFormat.SageServe, "request_id", 4 },
        { "sage_unknown_model.csv", TraceFormat.SageServe, "model_type", 3 },
        { "sage_unknown_region.csv", TraceFormat.SageServe, "regions", 2 },
        { "sage_truncated.csv", TraceFormat.SageServe, "application_id", 4 },
        { "sage_huge_tokens.csv", TraceFormat.SageServe, "prompt_size", 3 },
        { "sage_overflow.csv", TraceFormat.SageServe, "token_size", 4 },
        { "sage_bad_tier.csv", TraceFormat.SageServe, "workload_type", 3 },
        { "sage_negative_arrival.csv", TraceFormat.SageServe, "arrival_timestamp", 2 },
        { "sage_bad_arrival.csv", TraceFormat.SageServe, "arrival_timestamp", 3 },
        { "sage_nul_bytes.csv", TraceFormat.SageServe, "encoding", 4 },
        { "sage_invalid_utf8.csv", TraceFormat.SageServe, "encoding", 2 },
        { "azure_bad_timestamp.csv", TraceFormat.Azure, "TIMESTAMP", 3 },
        { "azure_unsorted.csv", TraceFormat.Azure, "TIMESTAMP", 4 },
        { "azure_missing_column.csv", TraceFormat.Azure, "GeneratedTokens", 1 },
        { "azure_truncated.csv", TraceFormat.Azure, "GeneratedTokens", 3 },
        { "azure_zero_tokens.csv", TraceFormat.Azure, "ContextTokens", 2 },
        { "mooncake_missing_field.jsonl", TraceFormat.Mooncake, "output_length", 2 },
        { "mooncake_bad_json.jsonl", TraceFormat.Mooncake, "record", 3 },
        { "mooncake_unsorted.jsonl", TraceFormat.Mooncake, "timestamp", 3 },
        { "mooncake_huge.jsonl", TraceFormat.Mooncake, "input_length", 2 },
        { "mooncake_empty.jsonl", TraceFormat.Mooncake, "record", 1 },
        { "mooncake_string_number.jsonl", TraceFormat.Mooncake, "input_length", 1 },
        { "mooncake_binary.jsonl", TraceFormat.Mooncake, "encoding", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_MalformedFile_ThrowsWithFileLineAndField(string file, TraceFormat format, string field, long line)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Workloads", "Malformed", file);

        var ex = Assert.Throws<TraceFormatException>(() => TraceTool.Read(path, format).ToList());

        Assert.Equal((path, line, field), (ex.File, ex.Line, ex.Field));
        Assert.StartsWith($"{path}:{line}: {field}: ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Corpus_EveryFile_HasAnExpectation()
    {
        string[] files = [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Workloads", "Malformed")).Select(Path.GetFileName).OfType<string>()];
        string[] covered = [.. Cases.Select(c => (string)c[0])];

        Assert.True(files.Length >= 15);
        Assert.Empty(files.Except(covered));
    }

    [Fact]
    public void Convert_MalformedInput_LeavesNoOutputFile()
    {
        string input = Path.Combine(AppContext.BaseDirectory, "Workloads", "Malformed", "sage_unsorted.csv");
        string dir = Directory.CreateTempSubdirectory("sageserve-convert-").FullName;
        try
        {
            string output = Path.Combine(dir, "out.jsonl");

            Assert.Throws<TraceFormatException>(() => TraceTool.Convert(input, TraceFormat.SageServe, output, TraceFormat.Mooncake));

            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
