using System.Text.RegularExpressions;

namespace SageServe.Silo.Tests.Commands;

public sealed partial class SimulateCommandTests
{
    [GeneratedRegex(@"accounting (\S+): arrived ([\d,]+) = completed ([\d,]+) \+ rejected ([\d,]+) \+ running ([\d,]+)")]
    private static partial Regex Accounting();

    private static string TempDir() => Path.Combine(Path.GetTempPath(), $"sageserve-test-{Guid.NewGuid():N}");

    private static long N(Group g) => long.Parse(g.Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Simulate_SmallDay_AccountsForEveryRequest()
    {
        var outDir = TempDir();
        var result = await SageServeProcess.RunAsync("simulate", "--requests-per-day", "20000", "--seed", "4", "--out", outDir);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var matches = Accounting().Matches(result.Stdout);
        Assert.Equal(["Siloed", "Reactive", "Chiron", "LT-I", "LT-U", "LT-UA", "SageServe+"], matches.Select(m => m.Groups[1].Value));
        foreach (Match match in matches)
        {
            Assert.InRange(N(match.Groups[2]), 18_000, 22_000);
            Assert.Equal(N(match.Groups[2]), N(match.Groups[3]) + N(match.Groups[4]) + N(match.Groups[5]));
        }

        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Directory.Delete(outDir, recursive: true);
    }

    [Fact]
    public async Task Simulate_SameSeedTwice_PrintsTheSameResults()
    {
        string[] dirs = [TempDir(), TempDir()];
        var first = await SageServeProcess.RunAsync("simulate", "--requests-per-day", "10000", "--seed", "9", "--out", dirs[0]);
        var second = await SageServeProcess.RunAsync("simulate", "--requests-per-day", "10000", "--seed", "9", "--out", dirs[1]);

        // Everything but the lines naming wall time or the output directory must match, and summary.json byte for byte.
        static IEnumerable<string> Stable(string stdout) => stdout.Split('\n').Where(l => !l.StartsWith("workload:", StringComparison.Ordinal) && !l.StartsWith("wrote", StringComparison.Ordinal));
        Assert.Equal(Stable(first.Stdout), Stable(second.Stdout));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(dirs[0], "summary.json")), await File.ReadAllBytesAsync(Path.Combine(dirs[1], "summary.json")));
        foreach (var dir in dirs)
        {
            Directory.Delete(dir, recursive: true);
        }
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
