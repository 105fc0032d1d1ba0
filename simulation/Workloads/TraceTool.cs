using System.Text;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>Result of <see cref="TraceTool.Stats"/>.</summary>
/// <param name="Stats">The computed statistics.</param>
/// <param name="Text">Plain-text report.</param>
/// <param name="HtmlPath">Where the HTML report was written, if requested.</param>
public sealed record TraceStatsResult(WorkloadStats Stats, string Text, string? HtmlPath);

/// <summary>
/// The logic behind <c>sageserve trace generate | stats | convert</c>. Outputs are written to a temporary file
/// next to the target and moved into place only when complete, so a failure never leaves a half-written file.
/// </summary>
public static class TraceTool
{
    /// <summary>Format implied by a file name: <c>.jsonl</c> → Mooncake; <c>.csv</c> → Azure when its header starts with <c>TIMESTAMP</c>, else SageServe.</summary>
    public static TraceFormat DetectFormat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return TraceFormat.Mooncake;
        }

        if (File.Exists(path))
        {
            using StreamReader reader = TraceLineReader.OpenFile(path);
            string? header = reader.ReadLine();
            if (header is not null && header.TrimStart('\uFEFF').StartsWith("TIMESTAMP", StringComparison.Ordinal))
            {
                return TraceFormat.Azure;
            }
        }

        return TraceFormat.SageServe;
    }

    /// <summary>Parses a format name (<c>sageserve</c>, <c>azure</c>, <c>mooncake</c>); null → detect from the path.</summary>
    public static TraceFormat ParseFormat(string? name, string path) => name?.ToLowerInvariant() switch
    {
        null or "" or "auto" => DetectFormat(path),
        "sageserve" or "csv" => TraceFormat.SageServe,
        "azure" => TraceFormat.Azure,
        "mooncake" or "jsonl" => TraceFormat.Mooncake,
        _ => throw new ArgumentException($"Unknown trace format '{name}' (expected sageserve, azure or mooncake)."),
    };

    /// <summary>Streams requests from a trace file of the given format.</summary>
    public static IEnumerable<InferenceRequest> Read(string path, TraceFormat format, TraceAssignment? assignment = null, TraceReadOptions? options = null) => format switch
    {
        TraceFormat.SageServe => SageServeTraceReader.ReadFile(path, options),
        TraceFormat.Azure => AzureTraceReader.ReadFile(path, assignment ?? new TraceAssignment(), options),
        TraceFormat.Mooncake => MooncakeTrace.ReadFile(path, assignment ?? new TraceAssignment(), options),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format"),
    };

    /// <summary>Writes requests in the given format to <paramref name="writer"/>; returns the count.</summary>
    public static long Write(TextWriter writer, IEnumerable<InferenceRequest> requests, TraceFormat format) => format switch
    {
        TraceFormat.SageServe => SageServeTraceWriter.Write(writer, requests),
        TraceFormat.Azure => AzureTraceWriter.Write(writer, requests),
        TraceFormat.Mooncake => MooncakeTrace.Write(writer, requests),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format"),
    };

    /// <summary>Generates a synthetic workload into <paramref name="outputPath"/>; returns requests written.</summary>
    public static long Generate(SyntheticWorkloadOptions options, string outputPath, TraceFormat format)
    {
        var generator = new SyntheticWorkloadGenerator(options);
        return WriteAtomically(outputPath, writer => Write(writer, generator.Generate(), format));
    }

    /// <summary>Converts a trace between formats; returns requests written.</summary>
    /// <exception cref="TraceFormatException">The input is malformed; the output is left untouched.</exception>
    public static long Convert(string inputPath, TraceFormat inputFormat, string outputPath, TraceFormat outputFormat, TraceAssignment? assignment = null, TraceReadOptions? options = null) =>
        WriteAtomically(outputPath, writer => Write(writer, Read(inputPath, inputFormat, assignment, options), outputFormat));

    /// <summary>Characterises a trace; writes the HTML report to <paramref name="htmlPath"/> when given.</summary>
    /// <exception cref="TraceFormatException">The input is malformed.</exception>
    public static TraceStatsResult Stats(string inputPath, TraceFormat format, string? htmlPath = null, TraceAssignment? assignment = null, TraceReadOptions? options = null)
    {
        WorkloadStats stats = WorkloadStats.Compute(Read(inputPath, format, assignment, options));
        if (htmlPath is not null)
        {
            string html = stats.ToHtml($"Workload characterisation: {Path.GetFileName(inputPath)}");
            WriteAtomically(htmlPath, writer =>
            {
                writer.Write(html);
                return 0;
            });
        }

        return new TraceStatsResult(stats, stats.ToText(), htmlPath);
    }

    /// <summary>Runs <paramref name="write"/> against a temporary file and moves it over <paramref name="path"/> on success.</summary>
    public static long WriteAtomically(string path, Func<TextWriter, long> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            long count;
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
            {
                count = write(writer);
            }

            File.Move(temp, full, overwrite: true);
            return count;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
