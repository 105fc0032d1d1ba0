using SageServe.Simulation.Reports;

namespace SageServe.Simulation.Tests.Reports;

public sealed class ReportWriterAllTests : IDisposable
{
    private static readonly string[] s_files =
        ["arrivals.csv", "gpus.csv", "instances.csv", "niw_queue.csv", "report.html", "strategies.csv", "summary.json"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sageserve-all-" + Guid.NewGuid().ToString("N"));

    public ReportWriterAllTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WriteAll_NewDirectory_WritesEveryFileAndNothingElse()
    {
        var outDir = Path.Combine(_root, "out");

        var written = ReportWriter.WriteAll(TestReports.Build(["Reactive", "LT-UA"]), outDir);

        Assert.Equal(s_files, Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(s_files, written.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName)); // no temp left behind
        Assert.All(written, f => Assert.True(new FileInfo(f).Length > 0, f));
    }

    [Fact]
    public void WriteAll_ExistingDirectory_ReplacesFilesKeepsOthers()
    {
        var outDir = Path.Combine(_root, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "summary.json"), "stale");
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");

        ReportWriter.WriteAll(TestReports.Build(["Reactive"]), outDir);

        Assert.StartsWith("{", File.ReadAllText(Path.Combine(outDir, "summary.json")), StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
        Assert.Single(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void WriteAll_OutDirIsAFile_ThrowsAndLeavesNothing()
    {
        var outDir = Path.Combine(_root, "taken");
        File.WriteAllText(outDir, "not a directory");

        var e = Assert.Throws<IOException>(() => ReportWriter.WriteAll(TestReports.Build(["Reactive"]), outDir));

        Assert.Contains("is a file", e.Message, StringComparison.Ordinal);
        Assert.Equal(["taken"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
        Assert.Equal("not a directory", File.ReadAllText(outDir));
    }

    [Fact]
    public void WriteAll_WriterFailsMidway_LeavesNothing()
    {
        var outDir = Path.Combine(_root, "out");
        var broken = TestReports.Build(["Reactive"]) with { Strategies = null! }; // fails after the temp dir exists

        Assert.ThrowsAny<Exception>(() => ReportWriter.WriteAll(broken, outDir));

        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void WriteAll_SameReport_SameBytesAsSingleWriters()
    {
        var report = TestReports.Build(["Reactive", "LT-I"]);
        var outDir = Path.Combine(_root, "out");

        ReportWriter.WriteAll(report, outDir);

        using var json = new MemoryStream();
        ReportWriter.WriteSummaryJson(report, json);
        Assert.Equal(json.ToArray(), File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        using var html = new MemoryStream();
        ReportWriter.WriteHtml(report, html);
        Assert.Equal(html.ToArray(), File.ReadAllBytes(Path.Combine(outDir, "report.html")));
    }
}
