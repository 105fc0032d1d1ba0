namespace SageServe.Silo.Tests.Commands;

public sealed class PlanCommandTests
{
    private static async Task<string> HistoryAsync(double days, int perDay)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sageserve-history-{Guid.NewGuid():N}.csv");
        var generated = await SageServeProcess.RunAsync("trace", "generate", "-o", path, "--days", days.ToString(System.Globalization.CultureInfo.InvariantCulture), "--requests-per-day", perDay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(generated.ExitCode == 0, generated.Stderr);
        return path;
    }

    [Theory]
    [InlineData("ilp", "co-optimising ILP (CBC)")]
    [InlineData("reference", "reference planner")]
    public async Task Plan_FromHistory_PrintsEveryEndpointAndExplainsChanges(string mode, string banner)
    {
        var history = await HistoryAsync(1.6, 2_000_000);

        var result = await SageServeProcess.RunAsync("plan", "--history", history, "--mode", mode, "--instances", "3");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(banner, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("status Optimal", result.Stdout, StringComparison.Ordinal);
        foreach (var region in new[] { "westus", "centralus", "eastus" })
        {
            foreach (var model in new[] { "A", "B", "C", "D" })
            {
                Assert.Matches($@"(?m)^{model}\s+{region}\s+\d+\s+\d+\s+\d+\s+\d+", result.Stdout);
            }
        }

        Assert.Contains("why: ", result.Stdout, StringComparison.Ordinal);
        File.Delete(history);
    }

    [Theory]
    [InlineData("--mode", "bogus")]
    [InlineData("--hours", "0")]
    [InlineData("--post-processing", "sometimes")]
    public async Task Plan_BadOption_ExitsTwoNamingIt(string option, string value)
    {
        var history = await HistoryAsync(0.1, 100_000);

        var result = await SageServeProcess.RunAsync("plan", "--history", history, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        File.Delete(history);
    }

    [Fact]
    public async Task Plan_MalformedHistory_OneLineWithFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sageserve-bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, "request_id,arrival_timestamp\n1,abc\n");

        var result = await SageServeProcess.RunAsync("plan", "--history", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Path.GetFileName(path), Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        File.Delete(path);
    }
}
