using System.Text.RegularExpressions;
using SageServe.Simulation.Reports;
using Xunit.Abstractions;

namespace SageServe.Simulation.Tests.Reports;

/// <summary>Renders the HTML report in real headless Chromium: the DOM it builds and a screenshot.</summary>
public sealed partial class ReportBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [GeneratedRegex("<polyline[^>]*points=\"([0-9][^\"]*)\"")]
    private static partial Regex PolylineRegex();

    private static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults", "report-browser");

    [Fact]
    public async Task WriteAll_RenderedInChromium_ChartsInDomAndScreenshotShowsThem()
    {
        if (!HeadlessChromium.IsInstalled)
        {
            var message = $"{HeadlessChromium.BinaryPath} is missing: the browser test of the HTML report cannot run (apt-get install chromium).";
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", message + " CI=true, so this is a failure.");
            output.WriteLine("SKIPPED: " + message);
            return;
        }

        var report = TestReports.Build(["Reactive", "LT-I", "LT-UA"], extraModel: ReportWriterHtmlTests.HostileName);
        var written = ReportWriter.WriteAll(report, OutputDirectory);
        var html = written.Single(f => f.EndsWith(ReportWriter.HtmlFileName, StringComparison.Ordinal));
        var screenshot = Path.Combine(OutputDirectory, "report.png");
        File.Delete(screenshot);

        var dom = await HeadlessChromium.RunAsync(html, ["--dump-dom"], s_timeout);
        var shot = await HeadlessChromium.RunAsync(html, [$"--screenshot={screenshot}", "--window-size=1400,2000"], s_timeout);
        output.WriteLine($"screenshot: {screenshot}");

        Assert.True(dom.ExitCode == 0, $"chromium --dump-dom exited {dom.ExitCode}: {dom.Stderr}");
        Assert.Equal(12, Regex.Count(dom.Stdout, "<svg "));
        var polylines = PolylineRegex().Matches(dom.Stdout).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal((3 * 9) + 3 + 3 + 2 + (4 * 3), polylines.Count); // instances 3×9, GPUs, queue, arrivals, 4 CDFs
        Assert.All(polylines, p => Assert.True(p.Split(' ').Length >= 2));
        Assert.True(Regex.Count(dom.Stdout, "<rect ") >= 3 + 3 + 3, "bars missing from the DOM");
        Assert.DoesNotContain("<script", dom.Stdout, StringComparison.OrdinalIgnoreCase); // the hostile name stayed text
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dom.Stdout, StringComparison.Ordinal);

        Assert.True(shot.ExitCode == 0, $"chromium --screenshot exited {shot.ExitCode}: {shot.Stderr}");
        Assert.True(File.Exists(screenshot), "no screenshot written");
        var bytes = File.ReadAllBytes(screenshot);
        Assert.True(bytes.Length > 20_000, $"screenshot only {bytes.Length} bytes");
        var png = PngPixels.Decode(bytes);
        Assert.Equal((1400, 2000), (png.Width, png.Height));
        var colours = new HashSet<(byte, byte, byte)>();
        for (var y = 0; y < png.Height; y += 4)
        {
            for (var x = 0; x < png.Width; x += 4)
            {
                colours.Add(png[x, y]);
            }
        }

        output.WriteLine($"screenshot: {bytes.Length} bytes, {colours.Count} distinct sampled colours");
        Assert.True(colours.Count > 50, $"screenshot looks blank: {colours.Count} colours");
        // The first strategy's bars are palette blue (#1f77b4) and big enough to be hit by the sampling grid.
        Assert.Contains(colours, c => Math.Abs(c.Item1 - 0x1f) < 6 && Math.Abs(c.Item2 - 0x77) < 6 && Math.Abs(c.Item3 - 0xb4) < 6);
        Assert.Contains(colours, c => Math.Abs(c.Item1 - 0xff) < 6 && Math.Abs(c.Item2 - 0x7f) < 6 && Math.Abs(c.Item3 - 0x0e) < 6);
    }
}
