using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SageServe.Simulation.Reports;

/// <summary>
/// Writes an <see cref="ExperimentReport"/> as <c>summary.json</c> (schema: docs/summary-schema.md), CSV time series
/// and one self-contained HTML page. Pure over the report: the same report always gives byte-identical files
/// (dictionary keys sorted ordinally, slices sorted by name, doubles rounded to 6 significant digits).
/// </summary>
public static class ReportWriter
{
    /// <summary>File name of the JSON summary.</summary>
    public const string SummaryFileName = "summary.json";

    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>Serving instances per region/model over time.</summary>
    public const string InstancesCsvFileName = "instances.csv";

    /// <summary>GPUs held per region over time.</summary>
    public const string GpusCsvFileName = "gpus.csv";

    /// <summary>NIW queue depth per region over time.</summary>
    public const string NiwQueueCsvFileName = "niw_queue.csv";

    /// <summary>Arrivals per tier over time.</summary>
    public const string ArrivalsCsvFileName = "arrivals.csv";

    /// <summary>One headline row per strategy.</summary>
    public const string StrategiesCsvFileName = "strategies.csv";

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static long s_tempCounter;

    /// <summary>
    /// Writes <c>summary.json</c> to <paramref name="output"/>: camelCase, indented with <c>\n</c>, keys sorted,
    /// doubles rounded to 6 significant digits, NaN/±Infinity written as <c>null</c> ("undefined"). Leaves the stream open.
    /// </summary>
    public static void WriteSummaryJson(ExperimentReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        JsonSerializer.Serialize(output, ReportCanonicalizer.Canonicalize(report), ReportJsonContext.Default.ExperimentReport);
        output.WriteByte((byte)'\n');
    }

    /// <summary>Reads a <c>summary.json</c> written by <see cref="WriteSummaryJson"/>; <c>null</c> numbers read as NaN.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed or does not match the schema.</exception>
    public static ExperimentReport ReadSummaryJson(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            return JsonSerializer.Deserialize(input, ReportJsonContext.Default.ExperimentReport)
                ?? throw new InvalidDataException("summary.json holds null instead of a report object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"summary.json is not a valid report: {e.Message} (line {e.LineNumber + 1}, path {e.Path}).", e);
        }
    }

    /// <summary>
    /// Writes the CSV files (<c>instances.csv</c>, <c>gpus.csv</c>, <c>niw_queue.csv</c>, <c>arrivals.csv</c>,
    /// <c>strategies.csv</c>) into <paramref name="directory"/>, creating it if needed. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> WriteCsv(ExperimentReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return ReportCsv.WriteAll(ReportCanonicalizer.Canonicalize(report), directory);
    }

    /// <summary>Writes the self-contained HTML report (inline CSS and SVG, no script, no external URL). Leaves the stream open.</summary>
    public static void WriteHtml(ExperimentReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var bytes = s_utf8.GetBytes(ReportHtml.Render(ReportCanonicalizer.Canonicalize(report)));
        output.Write(bytes);
    }

    /// <summary>
    /// Writes every file into <paramref name="outDir"/> all-or-nothing: first into a fresh temporary directory next
    /// to it, then moved into place (a rename when <paramref name="outDir"/> does not exist yet; otherwise file by
    /// file, replacing same-named files). On failure the temporary directory is removed and nothing is left behind.
    /// </summary>
    /// <returns>The full paths of the files written, in a fixed order.</returns>
    /// <exception cref="IOException"><paramref name="outDir"/> is a file, or the files could not be written.</exception>
    public static IReadOnlyList<string> WriteAll(ExperimentReport report, string outDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        var target = Path.GetFullPath(outDir);
        var parent = Path.GetDirectoryName(target.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
            ?? throw new IOException($"Cannot write the report to '{outDir}': it has no parent directory.");
        Directory.CreateDirectory(parent);
        var temp = CreateTempDirectory(parent, Path.GetFileName(target.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)));
        try
        {
            var canonical = ReportCanonicalizer.Canonicalize(report);
            using (var json = File.Create(Path.Combine(temp, SummaryFileName)))
            {
                JsonSerializer.Serialize(json, canonical, ReportJsonContext.Default.ExperimentReport);
                json.WriteByte((byte)'\n');
            }

            File.WriteAllText(Path.Combine(temp, HtmlFileName), ReportHtml.Render(canonical), s_utf8);
            ReportCsv.WriteAll(canonical, temp);
            string[] names = [SummaryFileName, HtmlFileName, InstancesCsvFileName, GpusCsvFileName, NiwQueueCsvFileName, ArrivalsCsvFileName, StrategiesCsvFileName];

            if (File.Exists(target))
            {
                throw new IOException($"Cannot write the report to '{outDir}': it is a file, not a directory. Choose another --out path or remove the file.");
            }

            if (!Directory.Exists(target))
            {
                Directory.Move(temp, target);
            }
            else
            {
                foreach (var name in names)
                {
                    File.Move(Path.Combine(temp, name), Path.Combine(target, name), overwrite: true);
                }
            }

            return [.. names.Select(n => Path.Combine(target, n))];
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static string CreateTempDirectory(string parent, string name)
    {
        // A dot-prefixed sibling on the same file system, so the final move is a rename; the process id and a
        // process-wide counter keep concurrent writers apart without randomness.
        while (true)
        {
            var attempt = Interlocked.Increment(ref s_tempCounter);
            var path = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $".{name}.tmp-{Environment.ProcessId}-{attempt}"));
            if (!Directory.Exists(path) && !File.Exists(path))
            {
                Directory.CreateDirectory(path);
                return path;
            }
        }
    }
}
