using SageServe.Grains.Tests.Workers;
using System.Text.Json;
using SageServe.Silo.Tests.Commands;

namespace SageServe.Silo.Tests.Native;

/// <summary><c>sageserve calibrate</c> against the real native engine.</summary>
public sealed class CalibrateCommandTests
{
    [NativeFact]
    public async Task Calibrate_TinyGrid_PrintsCoefficientsAndWritesJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sageserve-calibrate-{Guid.NewGuid():N}.json");
        try
        {
            var result = await SageServeProcess.RunAsync("calibrate", "--batches", "1,4", "--contexts", "64,256", "--prompts", "32,128,512", "--steps", "4", "--out", path);

            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Matches(@"prefill = \S+ \+ \S+·p \+ \S+·p² s  \(fit error mean [\d.]+ %, max [\d.]+ % over 3 samples\)", result.Stdout);
            Assert.Matches(@"decode step = \S+ \+ \S+·batch \+ \S+·context s  \(fit error mean [\d.]+ %, max [\d.]+ % over 4 samples\)", result.Stdout);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            var decode = json.RootElement.GetProperty("decode");
            var prefill = json.RootElement.GetProperty("prefill");
            Assert.Equal(4, decode.GetProperty("samples").GetArrayLength());
            Assert.Equal(3, prefill.GetProperty("samples").GetArrayLength());
            Assert.All(decode.GetProperty("samples").EnumerateArray(), s => Assert.True(s.GetProperty("seconds").GetDouble() > 0));

            // Prefill is linear in prompt length, so it must have a positive per-token cost; a decode step must cost something.
            Assert.True(prefill.GetProperty("secondsPerToken").GetDouble() > 0);
            Assert.True(decode.GetProperty("fixedSeconds").GetDouble() + decode.GetProperty("secondsPerSequence").GetDouble() > 0);
            Assert.InRange(prefill.GetProperty("fit").GetProperty("meanRelative").GetDouble(), 0, 1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--batches", "1,x", "--batches: 'x' is not an integer")]
    [InlineData("--batches", "0", "--batches: '0' is not an integer")]
    [InlineData("--contexts", "", "--contexts: '' is not an integer")]
    [InlineData("--steps", "-3", "--steps: '-3' is not an integer")]
    public async Task Calibrate_BadOption_ExitsTwoWithOneLine(string option, string value, string expected)
    {
        var result = await SageServeProcess.RunAsync("calibrate", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sageserve calibrate: " + expected, line, StringComparison.Ordinal);
    }
}
