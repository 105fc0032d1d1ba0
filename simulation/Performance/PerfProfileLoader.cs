using System.Globalization;
using System.Reflection;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Performance;

/// <summary>
/// Reads the profiled latency CSVs (Splitwise/SageServe simulators) and normalises their units.
/// </summary>
/// <remarks>
/// The files mix units. Rows for models A and B in <c>perf_model_4_models.csv</c> and every row of
/// <c>perf_model.csv</c> (llama2-70b, bloom-176b) are milliseconds and <c>token_time</c> is the per-token decode
/// latency. Rows for C and D in <c>perf_model_4_models.csv</c> and every row of the <c>Llama-3.*</c> files are
/// seconds and <c>token_time</c> is the total decode time of <c>token_size</c> tokens. Everything returned is
/// seconds, with decode time per token. Note that the C/D rows of <c>perf_model_4_models.csv</c> carry the
/// Llama-3.* TP-2/TP-4 measurements relabelled as TP 4/8; both are kept as written.
/// </remarks>
public static class PerfProfileLoader
{
    /// <summary>Names of the embedded profile files.</summary>
    public static IReadOnlyList<string> EmbeddedFiles { get; } =
    [
        "perf_model_4_models.csv",
        "perf_model.csv",
        "Llama-3.1-8B-tp-2.csv",
        "Llama-3.1-8B-tp-4.csv",
        "Llama-3.2-3B-tp-2.csv",
        "Llama-3.2-3B-tp-4.csv",
    ];

    private static readonly string[] s_columns =
    [
        "model", "hardware", "prompt_size", "batch_size", "token_size", "prompt_time", "token_time", "e2e_time", "tensor_parallel",
    ];

    /// <summary>Loads one embedded profile file.</summary>
    /// <param name="fileName">One of <see cref="EmbeddedFiles"/>.</param>
    public static IReadOnlyList<PerfSample> LoadEmbedded(string fileName)
    {
        Assembly assembly = typeof(PerfProfileLoader).Assembly;
        using Stream stream = assembly.GetManifestResourceStream("SageServe.Data.perf." + fileName)
            ?? throw new ArgumentException($"No embedded profile named '{fileName}'.", nameof(fileName));
        using var reader = new StreamReader(stream);
        return Load(reader, fileName);
    }

    /// <summary>Loads every embedded profile file.</summary>
    public static IReadOnlyList<PerfSample> LoadAllEmbedded() => EmbeddedFiles.SelectMany(LoadEmbedded).ToList();

    /// <summary>
    /// True when rows of <paramref name="model"/> from <paramref name="source"/> are in seconds with total decode time.
    /// </summary>
    public static bool UsesSecondsAndTotalDecode(string source, string model)
    {
        string name = Path.GetFileName(source);
        if (name.StartsWith("Llama-3.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return name.Equals("perf_model_4_models.csv", StringComparison.OrdinalIgnoreCase) && model is "C" or "D";
    }

    /// <summary>Parses a profile CSV from <paramref name="reader"/>; <paramref name="source"/> names it in errors and decides units.</summary>
    public static IReadOnlyList<PerfSample> Load(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine() ?? throw new TraceFormatException(source, 1, "header", "file is empty");
        string[] names = header.Split(',');
        var index = new int[s_columns.Length];
        for (int c = 0; c < s_columns.Length; c++)
        {
            index[c] = Array.IndexOf(names, s_columns[c]);
            if (index[c] < 0)
            {
                throw new TraceFormatException(source, 1, s_columns[c], "missing column");
            }
        }

        var samples = new List<PerfSample>();
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            string[] f = text.Split(',');
            if (f.Length != names.Length)
            {
                throw new TraceFormatException(source, line, f.Length < names.Length ? names[f.Length] : "line", $"expected {names.Length} fields, got {f.Length}");
            }

            string model = f[index[0]];
            int prompt = Int(f, index[2], 2);
            int batch = Int(f, index[3], 3);
            int tokens = Int(f, index[4], 4);
            double promptTime = Num(f, index[5], 5);
            double tokenTime = Num(f, index[6], 6);
            double e2e = Num(f, index[7], 7);
            int tp = Int(f, index[8], 8);
            if (UsesSecondsAndTotalDecode(source, model))
            {
                tokenTime /= tokens;
            }
            else
            {
                promptTime /= 1000;
                tokenTime /= 1000;
                e2e /= 1000;
            }

            samples.Add(new PerfSample(Path.GetFileName(source), model, f[index[1]], tp, prompt, batch, tokens, promptTime, tokenTime, e2e));
        }

        return samples;

        int Int(string[] f, int i, int column)
        {
            if (!int.TryParse(f[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v <= 0)
            {
                throw new TraceFormatException(source, line, s_columns[column], $"expected a positive integer, got '{f[i]}'");
            }

            return v;
        }

        double Num(string[] f, int i, int column)
        {
            if (!double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0) || double.IsInfinity(v))
            {
                throw new TraceFormatException(source, line, s_columns[column], $"expected a positive number, got '{f[i]}'");
            }

            return v;
        }
    }
}
