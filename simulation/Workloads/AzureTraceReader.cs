using System.Globalization;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>One row of an Azure LLM inference trace.</summary>
/// <param name="Line">1-based line number in the file.</param>
/// <param name="Timestamp">Wall-clock time of arrival.</param>
/// <param name="ContextTokens">Prompt tokens.</param>
/// <param name="GeneratedTokens">Output tokens.</param>
public readonly record struct AzureTraceRow(long Line, DateTime Timestamp, int ContextTokens, int GeneratedTokens);

/// <summary>
/// Streams the Azure LLM inference trace 2023 CSV (<c>TIMESTAMP, ContextTokens, GeneratedTokens</c>). The trace has
/// no model, region or tier; <see cref="Read"/> assigns them with a caller-supplied <see cref="TraceAssignment"/>.
/// </summary>
public static class AzureTraceReader
{
    private static readonly string[] s_columns = ["TIMESTAMP", "ContextTokens", "GeneratedTokens"];

    /// <summary>Reads raw rows, validated (sorted timestamps, positive bounded token counts).</summary>
    /// <exception cref="TraceFormatException">On the first malformed line.</exception>
    public static IEnumerable<AzureTraceRow> ReadRows(TextReader reader, string source, TraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        TraceReadOptions o = options ?? TraceReadOptions.Default;
        var lines = new TraceLineReader(reader, source);
        string header = lines.ReadLine() ?? throw lines.Error(1, "header", "file is empty");
        string[] names = [.. header.Split(',').Select(n => n.Trim())];
        var index = new int[s_columns.Length];
        for (int c = 0; c < s_columns.Length; c++)
        {
            index[c] = Array.IndexOf(names, s_columns[c]);
            if (index[c] < 0)
            {
                throw lines.Error(1, s_columns[c], "missing column");
            }
        }

        var starts = new int[names.Length + 1];
        DateTime previous = DateTime.MinValue;
        while (lines.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            int count = SageServeTraceReader.Split(line, starts);
            if (count != names.Length)
            {
                throw count < names.Length
                    ? lines.Error(names[count], $"expected {names.Length} fields, got {count} (truncated line?)")
                    : lines.Error("line", $"expected {names.Length} fields, got {count}");
            }

            ReadOnlySpan<char> Field(int c) => line.AsSpan(starts[c], starts[c + 1] - starts[c] - 1).Trim();

            ReadOnlySpan<char> stamp = Field(index[0]);
            if (!DateTime.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime timestamp))
            {
                throw lines.Error("TIMESTAMP", $"expected a date and time like 2023-11-16 18:17:03.9799600, got '{stamp}'");
            }

            if (timestamp < previous)
            {
                throw lines.Error("TIMESTAMP", $"{timestamp:yyyy-MM-dd HH:mm:ss.fffffff} is earlier than the previous {previous:yyyy-MM-dd HH:mm:ss.fffffff} (trace must be sorted)");
            }

            previous = timestamp;
            int prompt = TraceFieldParser.Tokens(lines, Field(index[1]), "ContextTokens", o.MaxTokens);
            int output = TraceFieldParser.Tokens(lines, Field(index[2]), "GeneratedTokens", o.MaxTokens);
            yield return new AzureTraceRow(lines.LineNumber, timestamp, prompt, output);
        }
    }

    /// <summary>Reads a trace file as requests.</summary>
    public static IEnumerable<InferenceRequest> ReadFile(string path, TraceAssignment assignment, TraceReadOptions? options = null, DateTime? origin = null)
    {
        using StreamReader reader = TraceLineReader.OpenFile(path);
        foreach (InferenceRequest r in Read(reader, path, assignment, options, origin))
        {
            yield return r;
        }
    }

    /// <summary>
    /// Reads requests: id = row number (0-based), arrival = timestamp − <paramref name="origin"/> (default: the first
    /// row's timestamp), model/tier/regions from <paramref name="assignment"/>, NIW deadline from the options.
    /// </summary>
    public static IEnumerable<InferenceRequest> Read(TextReader reader, string source, TraceAssignment assignment, TraceReadOptions? options = null, DateTime? origin = null)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        TraceReadOptions o = options ?? TraceReadOptions.Default;
        DateTime? start = origin;
        long index = 0;
        foreach (AzureTraceRow row in ReadRows(reader, source, o))
        {
            start ??= row.Timestamp;
            TimeSpan arrival = row.Timestamp - start.Value;
            if (arrival < TimeSpan.Zero)
            {
                throw new TraceFormatException(source, row.Line, "TIMESTAMP", $"earlier than the origin {start:yyyy-MM-dd HH:mm:ss.fffffff}");
            }

            (ModelId model, Tier tier, var preference) = assignment.Assign(index);
            yield return new InferenceRequest(index, arrival, model, tier, preference, row.ContextTokens, row.GeneratedTokens, tier == Tier.NonInteractive ? o.NonInteractiveDeadline : null);
            index++;
        }
    }
}
