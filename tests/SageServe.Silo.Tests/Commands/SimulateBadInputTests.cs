using System.Text.RegularExpressions;

namespace SageServe.Silo.Tests.Commands;

/// <summary>Every malformed trace in the corpus, fed to the real command: one line naming file:line: field, exit 2, nothing written.</summary>
public sealed partial class SimulateBadInputTests
{
    private static readonly string s_corpus = Path.Combine(RepositoryRoot(), "tests", "SageServe.Simulation.Tests", "Workloads", "Malformed");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SageServe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SageServe.sln not found above the test output directory.");
    }

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(s_corpus).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [GeneratedRegex(@"^.+:\d+: [^:]+: .+$")]
    private static partial Regex FileLineField();

    [Fact]
    public void Corpus_HasAtLeastFifteenMalformedFiles() => Assert.True(CorpusFiles().Count >= 15);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Simulate_MalformedTrace_OneLineWithFileLineFieldExitTwoNoOutput(string file)
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"sageserve-bad-{Guid.NewGuid():N}");
        var result = await SageServeProcess.RunAsync("simulate", "--trace", Path.Combine(s_corpus, file), "--out", outDir, "--strategies", "Reactive");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(FileLineField(), line);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "nothing may be written for a bad input");
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("--strategies", "NoSuchStrategy", "unknown strategy")]
    [InlineData("--strategies", "Reactive,LT-X", "unknown strategy 'LT-X'")]
    [InlineData("--faults", "crash=-1", "rate ≥ 0")]
    [InlineData("--strategies", ",", "empty list")]
    [InlineData("--trace", "/no/such/trace.csv", "file not found")]
    public async Task Simulate_BadConfiguration_ExitsTwoNamingTheOption(string option, string value, string expected)
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"sageserve-bad-{Guid.NewGuid():N}");
        var result = await SageServeProcess.RunAsync("simulate", option, value, "--out", outDir);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(option, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Simulate_OutIsAFile_ExitsTwoAndLeavesTheFileAlone()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "keep me");

        var result = await SageServeProcess.RunAsync("simulate", "--requests-per-day", "10000", "--out", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file));
        File.Delete(file);
    }
}
