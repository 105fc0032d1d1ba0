using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SageServe.Grains.Workers.Native;
using SageServe.Planning.Capacity;

namespace SageServe.Silo.Commands;

/// <summary>
/// <c>sageserve calibrate</c>: measures the native engine's decode step time over a (batch, context) grid and its
/// prefill time over prompt sizes, fits the planner's <see cref="LatencyModel"/> shape with
/// <see cref="LatencyModelFitter"/>, prints the coefficients and fit error, and optionally writes them as JSON.
/// The times are this machine's CPU time for the small random-weight model, not a GPU's.
/// </summary>
internal static class CalibrateCommand
{
    private const string Name = "sageserve calibrate";

    public static Command Create()
    {
        var batches = new Option<string?>("--batches") { Description = "Decode batch sizes, comma separated (default 1,2,4,8,16,32)." };
        var contexts = new Option<string?>("--contexts") { Description = "Prompt lengths (KV context per sequence) of the decode grid (default 128,512,2048)." };
        var prompts = new Option<string?>("--prompts") { Description = "Prompt lengths of the prefill curve (default 64,128,256,512,1024,2048)." };
        var steps = new Option<string?>("--steps") { Description = "Decode steps timed per grid point; the median is kept (default 16)." };
        var threads = new Option<string?>("--threads") { Description = "Engine threads (default 1, as the native silo uses)." };
        var output = new Option<string?>("--out") { Description = "Write the fitted coefficients and the samples to this JSON file." };
        var command = new Command("calibrate", "Measure the native CPU engine's step times and fit the latency model (prefill a + b·p + c·p², decode d + e·batch + f·context).")
        {
            batches, contexts, prompts, steps, threads, output,
        };
        command.SetAction(parse =>
        {
            Settings settings;
            try
            {
                settings = new Settings(
                    PositiveList(parse.GetValue(batches), "--batches", "1,2,4,8,16,32", 1024),
                    PositiveList(parse.GetValue(contexts), "--contexts", "128,512,2048", 65_536),
                    PositiveList(parse.GetValue(prompts), "--prompts", "64,128,256,512,1024,2048", 65_536),
                    Positive(parse.GetValue(steps), "--steps", 16, 10_000),
                    Positive(parse.GetValue(threads), "--threads", 1, 256),
                    parse.GetValue(output));
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"{Name}: {e.Message}");
                return 2;
            }

            try
            {
                return Run(settings);
            }
            catch (Exception e) when (e is DllNotFoundException or NativeEngineException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"{Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(Settings s)
    {
        var shape = new NativeEngineOptions { Threads = s.Threads };
        long pageTokens = 16;
        long maxSequence = Math.Max(s.Contexts.Max() + s.Steps + 2, s.Prompts.Max() + 2) + pageTokens;
        long kvTokens = Math.Max(s.Batches.Max(), 1) * maxSequence;
        using var engine = NativeEngine.Create(shape with { MaxKvTokens = kvTokens });
        Console.WriteLine(
            $"# native engine {NativeEngine.LibraryVersion} ({(NativeEngine.SimdEnabled ? "AVX2+FMA" : "scalar")}): {shape.Layers} layers, " +
            $"{shape.QueryHeads} q heads, {shape.KvHeads} kv heads, head dim {shape.HeadDim}, {s.Threads} thread(s); CPU time, not GPU time");

        ulong nextId = 0;
        Warm(engine, ref nextId);

        var prefill = new List<PrefillSample>();
        Console.WriteLine($"{"prompt",8} {"prefill ms",11}");
        foreach (var p in s.Prompts)
        {
            var times = new double[3];
            for (var r = 0; r < times.Length; r++)
            {
                var id = ++nextId;
                Admit(engine, id, p, 2);
                times[r] = TimeStep(engine, expectPrefill: 1);
                engine.Release(id);
            }

            var median = Median(times);
            prefill.Add(new PrefillSample(p, median));
            Console.WriteLine($"{p,8} {median * 1e3,11:F3}");
        }

        var decode = new List<DecodeSample>();
        Console.WriteLine($"{"batch",6} {"context",8} {"step ms",9} {"ms/seq",8}");
        foreach (var c in s.Contexts)
        {
            foreach (var b in s.Batches)
            {
                var ids = new ulong[b];
                for (var i = 0; i < b; i++)
                {
                    ids[i] = ++nextId;
                    Admit(engine, ids[i], c, s.Steps + 2);
                }

                TimeStep(engine, expectPrefill: b);
                var times = new double[s.Steps];
                for (var k = 0; k < s.Steps; k++)
                {
                    times[k] = TimeStep(engine, expectPrefill: 0);
                }

                foreach (var id in ids)
                {
                    engine.Release(id);
                }

                // Step k attends c + k + 1 tokens per sequence; the median step sits mid-run.
                var context = (long)b * (c + 1 + ((s.Steps - 1) / 2));
                var median = Median(times);
                decode.Add(new DecodeSample(b, context, median));
                Console.WriteLine($"{b,6} {c,8} {median * 1e3,9:F3} {median * 1e3 / b,8:F3}");
            }
        }

        var model = LatencyModelFitter.Fit("native", "cpu", 1, prefill, decode);
        Console.WriteLine(
            $"prefill = {model.PrefillFixedSeconds:G4} + {model.PrefillSecondsPerToken:G4}·p + {model.PrefillSecondsPerTokenSquared:G4}·p² s  (fit error {model.PrefillFit})");
        Console.WriteLine(
            $"decode step = {model.DecodeFixedSeconds:G4} + {model.DecodeSecondsPerSequence:G4}·batch + {model.DecodeSecondsPerContextToken:G4}·context s  (fit error {model.DecodeFit})");
        if (s.OutputPath is { } path)
        {
            WriteJson(path, shape, model, prefill, decode);
            Console.WriteLine($"wrote {Path.GetFullPath(path)}");
        }

        return 0;
    }

    /// <summary>A few steps first, so page faults and lazy initialisation are not measured.</summary>
    private static void Warm(NativeEngine engine, ref ulong nextId)
    {
        var id = ++nextId;
        Admit(engine, id, 64, 8);
        for (var i = 0; i < 8; i++)
        {
            engine.Step();
        }

        Span<ulong> drained = stackalloc ulong[16];
        engine.TakeCompleted(drained);
    }

    private static void Admit(NativeEngine engine, ulong id, int prompt, int output)
    {
        if (!engine.TryAdmit(id, prompt, output))
        {
            throw new NativeEngineException(NativeStatus.KvFull, $"calibration engine too small for prompt {prompt} + output {output} (a sizing bug)");
        }
    }

    private static double TimeStep(NativeEngine engine, int expectPrefill)
    {
        var started = Stopwatch.GetTimestamp();
        var step = engine.Step();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (step.Prefilled != expectPrefill)
        {
            throw new NativeEngineException(NativeStatus.Internal, $"expected {expectPrefill} prefills in the step, the engine did {step.Prefilled}");
        }

        return Math.Max(seconds, 1e-9);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void WriteJson(string path, NativeEngineOptions shape, LatencyModel model, List<PrefillSample> prefill, List<DecodeSample> decode)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model", model.Model);
        json.WriteString("sku", model.Sku);
        json.WriteString("library", NativeEngine.LibraryVersion);
        json.WriteBoolean("simd", NativeEngine.SimdEnabled);
        json.WriteStartObject("engine");
        json.WriteNumber("layers", shape.Layers);
        json.WriteNumber("queryHeads", shape.QueryHeads);
        json.WriteNumber("kvHeads", shape.KvHeads);
        json.WriteNumber("headDim", shape.HeadDim);
        json.WriteNumber("threads", shape.Threads);
        json.WriteEndObject();
        json.WriteStartObject("prefill");
        json.WriteNumber("fixedSeconds", model.PrefillFixedSeconds);
        json.WriteNumber("secondsPerToken", model.PrefillSecondsPerToken);
        json.WriteNumber("secondsPerTokenSquared", model.PrefillSecondsPerTokenSquared);
        Fit(json, model.PrefillFit);
        json.WriteStartArray("samples");
        foreach (var p in prefill)
        {
            json.WriteStartObject();
            json.WriteNumber("promptTokens", p.PromptTokens);
            json.WriteNumber("seconds", p.Seconds);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("decode");
        json.WriteNumber("fixedSeconds", model.DecodeFixedSeconds);
        json.WriteNumber("secondsPerSequence", model.DecodeSecondsPerSequence);
        json.WriteNumber("secondsPerContextToken", model.DecodeSecondsPerContextToken);
        Fit(json, model.DecodeFit);
        json.WriteStartArray("samples");
        foreach (var d in decode)
        {
            json.WriteStartObject();
            json.WriteNumber("batchSize", d.BatchSize);
            json.WriteNumber("contextTokens", d.ContextTokens);
            json.WriteNumber("seconds", d.Seconds);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        static void Fit(Utf8JsonWriter json, LatencyFitError fit)
        {
            json.WriteStartObject("fit");
            json.WriteNumber("meanRelative", fit.MeanRelative);
            json.WriteNumber("maxRelative", fit.MaxRelative);
            json.WriteNumber("samples", fit.Samples);
            json.WriteEndObject();
        }
    }

    private static int[] PositiveList(string? text, string option, string fallback, int max)
    {
        var items = (text ?? fallback).Split(',', StringSplitOptions.TrimEntries);
        var values = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (!int.TryParse(items[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1 || values[i] > max)
            {
                throw new FormatException($"{option}: '{items[i]}' is not an integer in 1..{max} (expected a comma-separated list like {fallback})");
            }
        }

        return [.. values.Distinct().Order()];
    }

    private static int Positive(string? text, string option, int fallback, int max) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n
        : throw new FormatException($"{option}: '{text}' is not an integer in 1..{max}");

    private sealed record Settings(int[] Batches, int[] Contexts, int[] Prompts, int Steps, int Threads, string? OutputPath);
}
