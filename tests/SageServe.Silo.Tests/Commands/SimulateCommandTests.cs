using System.Text.RegularExpressions;

namespace SageServe.Silo.Tests.Commands;

public sealed partial class SimulateCommandTests
{
    [GeneratedRegex(@"accounting: arrived ([\d,]+) = completed ([\d,]+) \+ rejected ([\d,]+) \+ running ([\d,]+)")]
    private static partial Regex Accounting();

    private static long N(Group g) => long.Parse(g.Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Simulate_SmallDay_AccountsForEveryRequest()
    {
        var result = await SageServeProcess.RunAsync("simulate", "--requests-per-day", "20000", "--seed", "4");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var match = Accounting().Match(result.Stdout);
        Assert.True(match.Success, result.Stdout);
        Assert.InRange(N(match.Groups[1]), 18_000, 22_000);
        Assert.Equal(N(match.Groups[1]), N(match.Groups[2]) + N(match.Groups[3]) + N(match.Groups[4]));
        Assert.Contains("Interactive", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_SameSeedTwice_PrintsTheSameResults()
    {
        var first = await SageServeProcess.RunAsync("simulate", "--requests-per-day", "10000", "--seed", "9");
        var second = await SageServeProcess.RunAsync("simulate", "--requests-per-day", "10000", "--seed", "9");

        // Everything but the first line (wall-clock timing) must match.
        Assert.Equal(first.Stdout.Split('\n').Skip(1), second.Stdout.Split('\n').Skip(1));
    }

    [Theory]
    [InlineData("--days", "-1")]
    [InlineData("--requests-per-day", "0")]
    [InlineData("--sku", "tpu-v5")]
    public async Task Simulate_BadOption_ExitsTwoWithOneLineNamingIt(string option, string value)
    {
        var result = await SageServeProcess.RunAsync("simulate", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sageserve simulate:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_UnknownOption_FailsWithUsage()
    {
        var result = await SageServeProcess.RunAsync("simulate", "--no-such-option");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--no-such-option", result.Stderr, StringComparison.Ordinal);
    }
}
