using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>
/// Reads and writes Mooncake-style JSON lines: one object per line with <c>timestamp</c> (milliseconds since the
/// start), <c>input_length</c> and <c>output_length</c>; other members (e.g. <c>hash_ids</c>) are ignored.
/// Model, tier and regions come from a <see cref="TraceAssignment"/>.
/// </summary>
public static class MooncakeTrace
{
    private const double TicksPerMillisecond = TimeSpan.TicksPerMillisecond;

    /// <summary>Reads a JSONL file as requests.</summary>
    public static IEnumerable<InferenceRequest> ReadFile(string path, TraceAssignment assignment, TraceReadOptions? options = null)
    {
        using StreamReader reader = TraceLineReader.OpenFile(path);
        foreach (InferenceRequest r in Read(reader, path, assignment, options))
        {
            yield return r;
        }
    }

    /// <summary>Reads requests lazily; id = record number (0-based).</summary>
    /// <exception cref="TraceFormatException">On the first malformed line.</exception>
    public static IEnumerable<InferenceRequest> Read(TextReader reader, string source, TraceAssignment assignment, TraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(assignment);
        TraceReadOptions o = options ?? TraceReadOptions.Default;
        var lines = new TraceLineReader(reader, source);
        TimeSpan previous = TimeSpan.Zero;
        long index = 0;
        bool any = false;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (lines.ReadLine() is { } line)
            {
                if (line.AsSpan().Trim().Length == 0)
                {
                    continue;
                }

                any = true;
                int byteCount = Encoding.UTF8.GetMaxByteCount(line.Length);
                if (buffer.Length < byteCount)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(byteCount);
                }

                int length = Encoding.UTF8.GetBytes(line, buffer);
                (double? ms, long? input, long? output) = Parse(lines, buffer.AsSpan(0, length));
                if (ms is null)
                {
                    throw lines.Error("timestamp", "missing field");
                }

                if (input is null)
                {
                    throw lines.Error("input_length", "missing field");
                }

                if (output is null)
                {
                    throw lines.Error("output_length", "missing field");
                }

                TimeSpan arrival = TraceFieldParser.Arrival(lines, ms.Value, TicksPerMillisecond, "timestamp", o.MaxArrival);
                TraceFieldParser.CheckOrder(lines, arrival, previous, "timestamp");
                previous = arrival;
                int prompt = TraceFieldParser.CheckTokens(lines, input.Value, "input_length", o.MaxTokens);
                int generated = TraceFieldParser.CheckTokens(lines, output.Value, "output_length", o.MaxTokens);
                (ModelId model, Tier tier, var preference) = assignment.Assign(index);
                yield return new InferenceRequest(index, arrival, model, tier, preference, prompt, generated, tier == Tier.NonInteractive ? o.NonInteractiveDeadline : null);
                index++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (!any)
        {
            throw lines.Error(Math.Max(1, lines.LineNumber), "record", "file is empty");
        }
    }

    /// <summary>Writes one JSON object per request: timestamp in ms (round-trip precision), input and output length.</summary>
    /// <returns>Requests written.</returns>
    public static long Write(TextWriter writer, IEnumerable<InferenceRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(requests);
        long count = 0;
        foreach (InferenceRequest r in requests)
        {
            writer.Write("{\"timestamp\": ");
            writer.Write((r.Arrival.Ticks / TicksPerMillisecond).ToString("R", CultureInfo.InvariantCulture));
            writer.Write(", \"input_length\": ");
            writer.Write(r.PromptTokens.ToString(CultureInfo.InvariantCulture));
            writer.Write(", \"output_length\": ");
            writer.Write(r.OutputTokens.ToString(CultureInfo.InvariantCulture));
            writer.Write("}\n");
            count++;
        }

        return count;
    }

    private static (double? Ms, long? Input, long? Output) Parse(TraceLineReader lines, ReadOnlySpan<byte> json)
    {
        double? ms = null;
        long? input = null;
        long? output = null;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw lines.Error("record", "expected a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string field = reader.ValueTextEquals("timestamp"u8) ? "timestamp"
                    : reader.ValueTextEquals("input_length"u8) ? "input_length"
                    : reader.ValueTextEquals("output_length"u8) ? "output_length"
                    : "";
                reader.Read();
                if (field.Length == 0)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw lines.Error(field, $"expected a number, got {reader.TokenType}");
                }

                if (field == "timestamp")
                {
                    ms = reader.GetDouble();
                }
                else
                {
                    if (!reader.TryGetInt64(out long v))
                    {
                        throw lines.Error(field, reader.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) > long.MaxValue / 2.0
                            ? "value too large" : "expected an integer token count");
                    }

                    if (field == "input_length")
                    {
                        input = v;
                    }
                    else
                    {
                        output = v;
                    }
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw lines.Error("record", "malformed JSON object");
            }
        }
        catch (JsonException ex)
        {
            throw lines.Error(lines.LineNumber, "record", $"malformed JSON ({ex.Message.Split('.')[0]})", ex);
        }

        return (ms, input, output);
    }
}
