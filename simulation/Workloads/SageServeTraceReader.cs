using System.Collections.Immutable;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>
/// Streams requests from a SageServe trace CSV (SPEC §7). Columns are found by header name, so their order
/// does not matter; unused columns (batch_id, client_tenant, …) are carried by the format but ignored.
/// </summary>
/// <remarks>
/// Assumptions: <c>arrival_timestamp</c> is seconds since the start of the trace (a float); <c>regions</c> is a
/// string of distinct region digits, the first being the home region; <c>workload_type</c> is <c>prod</c> (IW) or
/// <c>dev</c> (NIW); for NIW rows a positive <c>sla</c> is the deadline in seconds (the reference carries
/// <c>sla = 10</c> for IW, which is ignored). Fields are never quoted.
/// </remarks>
public static class SageServeTraceReader
{
    /// <summary>The columns of the format, in the order the writer emits them.</summary>
    public static ImmutableArray<string> Columns { get; } =
    [
        "request_id", "batch_id", "client_tenant", "request_type", "scenario", "sla", "utility", "regions",
        "model_type", "workload_type", "application_id", "arrival_timestamp", "batch_size", "prompt_size", "token_size",
    ];

    private static readonly string[] s_required =
        ["request_id", "regions", "model_type", "workload_type", "arrival_timestamp", "prompt_size", "token_size"];

    /// <summary>Reads a trace file lazily.</summary>
    public static IEnumerable<InferenceRequest> ReadFile(string path, TraceReadOptions? options = null)
    {
        using StreamReader reader = TraceLineReader.OpenFile(path);
        foreach (InferenceRequest r in Read(reader, path, options))
        {
            yield return r;
        }
    }

    /// <summary>Reads a trace lazily from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="TraceFormatException">On the first malformed line.</exception>
    public static IEnumerable<InferenceRequest> Read(TextReader reader, string source, TraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        TraceReadOptions o = options ?? TraceReadOptions.Default;
        var lines = new TraceLineReader(reader, source);
        string header = lines.ReadLine() ?? throw lines.Error(1, "header", "file is empty");
        string[] names = header.Split(',');
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = names[i].Trim();
        }

        foreach (string column in s_required)
        {
            if (Array.IndexOf(names, column) < 0)
            {
                throw lines.Error(1, column, "missing column");
            }
        }

        int cId = Array.IndexOf(names, "request_id");
        int cRegions = Array.IndexOf(names, "regions");
        int cModel = Array.IndexOf(names, "model_type");
        int cTier = Array.IndexOf(names, "workload_type");
        int cArrival = Array.IndexOf(names, "arrival_timestamp");
        int cPrompt = Array.IndexOf(names, "prompt_size");
        int cOutput = Array.IndexOf(names, "token_size");
        int cSla = Array.IndexOf(names, "sla");
        int cBatch = Array.IndexOf(names, "batch_size");

        var models = new Dictionary<string, ModelId>(StringComparer.Ordinal);
        foreach (ModelId m in o.KnownModels)
        {
            models[m.Name] = m;
        }

        var preferences = new Dictionary<string, ImmutableArray<RegionId>>(StringComparer.Ordinal);
        var seen = new SeenIds();
        var starts = new int[names.Length + 1];
        TimeSpan previous = TimeSpan.Zero;
        while (lines.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            int count = Split(line, starts);
            if (count != names.Length)
            {
                throw count < names.Length
                    ? lines.Error(names[count], $"expected {names.Length} fields, got {count} (truncated line?)")
                    : lines.Error("line", $"expected {names.Length} fields, got {count}");
            }

            ReadOnlySpan<char> Field(int c) => line.AsSpan(starts[c], starts[c + 1] - starts[c] - 1).Trim();

            long id = TraceFieldParser.Id(lines, Field(cId), "request_id");
            if (!seen.Add(id))
            {
                throw lines.Error("request_id", $"duplicate request id {id}");
            }

            string regionText = Field(cRegions).ToString();
            if (!preferences.TryGetValue(regionText, out ImmutableArray<RegionId> preference))
            {
                preference = ParseRegions(lines, regionText, o.Regions);
                preferences[regionText] = preference;
            }

            string modelText = Field(cModel).ToString();
            if (!models.TryGetValue(modelText, out ModelId model))
            {
                if (o.KnownModels.Length > 0 || modelText.Length == 0)
                {
                    throw lines.Error("model_type", $"unknown model '{modelText}' (known: {string.Join(", ", o.KnownModels)})");
                }

                model = new ModelId(modelText);
                models[modelText] = model;
            }

            ReadOnlySpan<char> tierText = Field(cTier);
            Tier tier = tierText.Equals("prod", StringComparison.OrdinalIgnoreCase) ? Tier.Interactive
                : tierText.Equals("dev", StringComparison.OrdinalIgnoreCase) ? Tier.NonInteractive
                : throw lines.Error("workload_type", $"expected 'prod' (IW) or 'dev' (NIW), got '{tierText}'");

            double seconds = TraceFieldParser.Number(lines, Field(cArrival), "arrival_timestamp");
            TimeSpan arrival = TraceFieldParser.Arrival(lines, seconds, TimeSpan.TicksPerSecond, "arrival_timestamp", o.MaxArrival);
            TraceFieldParser.CheckOrder(lines, arrival, previous, "arrival_timestamp");
            previous = arrival;

            if (cBatch >= 0 && Field(cBatch).Length > 0)
            {
                TraceFieldParser.Tokens(lines, Field(cBatch), "batch_size", int.MaxValue);
            }

            int prompt = TraceFieldParser.Tokens(lines, Field(cPrompt), "prompt_size", o.MaxTokens);
            int output = TraceFieldParser.Tokens(lines, Field(cOutput), "token_size", o.MaxTokens);

            TimeSpan? deadline = null;
            if (tier == Tier.NonInteractive)
            {
                deadline = o.NonInteractiveDeadline;
                if (cSla >= 0 && Field(cSla).Length > 0)
                {
                    double sla = TraceFieldParser.Number(lines, Field(cSla), "sla");
                    if (sla > 0)
                    {
                        deadline = TraceFieldParser.Arrival(lines, sla, TimeSpan.TicksPerSecond, "sla", o.MaxArrival);
                    }
                }
            }

            yield return new InferenceRequest(id, arrival, model, tier, preference, prompt, output, deadline);
        }
    }

    /// <summary>Fills <paramref name="starts"/> with each field's start and returns the field count (capped at starts.Length − 1 + 1).</summary>
    internal static int Split(string line, int[] starts)
    {
        int count = 0;
        int start = 0;
        int max = starts.Length - 1;
        while (true)
        {
            int comma = line.IndexOf(',', start);
            if (count < max)
            {
                starts[count] = start;
            }

            count++;
            if (comma < 0)
            {
                if (count <= max)
                {
                    starts[count] = line.Length + 1;
                }

                return count;
            }

            if (count <= max)
            {
                starts[count] = comma + 1;
            }

            start = comma + 1;
        }
    }

    private static ImmutableArray<RegionId> ParseRegions(TraceLineReader lines, string text, ImmutableArray<RegionId> regions)
    {
        if (text.Length == 0)
        {
            throw lines.Error("regions", "empty region list");
        }

        var result = ImmutableArray.CreateBuilder<RegionId>(text.Length);
        foreach (char c in text)
        {
            int digit = c - '0';
            if (digit < 0 || digit >= regions.Length)
            {
                throw lines.Error("regions", $"unknown region '{c}' in '{text}' (known: {string.Join(", ", regions.Select((r, i) => $"{i}={r}"))})");
            }

            if (result.Contains(regions[digit]))
            {
                throw lines.Error("regions", $"region '{c}' repeated in '{text}'");
            }

            result.Add(regions[digit]);
        }

        return result.MoveToImmutable();
    }
}
