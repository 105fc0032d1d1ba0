using System.CommandLine;
using SageServe.Simulation.Workloads;

namespace SageServe.Silo.Commands;

/// <summary>
/// <c>sageserve trace generate | stats | convert</c>: thin command-line wiring over <see cref="TraceTool"/>.
/// Exit codes: 0 success, 1 invalid arguments or I/O failure, 2 malformed trace (one line <c>file:line: field: problem</c>).
/// </summary>
internal static class TraceCommand
{
    private const int InvalidInput = 1;
    private const int MalformedTrace = 2;

    public static Command Create()
    {
        var command = new Command("trace", "Generate, characterise and convert request traces.");
        command.Subcommands.Add(CreateGenerate());
        command.Subcommands.Add(CreateStats());
        command.Subcommands.Add(CreateConvert());
        return command;
    }

    private static Command CreateGenerate()
    {
        var output = new Option<string>("--output", "-o") { Description = "File to write (.csv = SageServe, .jsonl = Mooncake unless --format says otherwise).", Required = true };
        var format = new Option<string?>("--format") { Description = "sageserve | azure | mooncake (default: from the file extension)." };
        var seed = new Option<long>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var perDay = new Option<double>("--requests-per-day") { Description = "Expected requests on a weekday before bursts.", DefaultValueFactory = _ => 1_500_000 };
        var days = new Option<double>("--days") { Description = "Length of the workload in days.", DefaultValueFactory = _ => 1 };
        var niw = new Option<double>("--niw-share") { Description = "Share of non-interactive requests.", DefaultValueFactory = _ => 0.14 };
        var bursts = new Option<int>("--burst-copies") { Description = "Extra copies of the first minute of every hour (8 = the reference burst test).", DefaultValueFactory = _ => 0 };
        var startDay = new Option<DayOfWeek>("--start-day") { Description = "Day of week at UTC midnight of the start.", DefaultValueFactory = _ => DayOfWeek.Tuesday };
        var command = new Command("generate", "Write a synthetic O365-like workload.") { output, format, seed, perDay, days, niw, bursts, startDay };
        command.SetAction(parse => Run(parse, () =>
        {
            string path = parse.GetRequiredValue(output);
            TraceFormat traceFormat = FormatFor(parse.GetValue(format), path);
            var options = new SyntheticWorkloadOptions
            {
                Seed = parse.GetValue(seed),
                RequestsPerDay = parse.GetValue(perDay),
                Duration = TimeSpan.FromDays(parse.GetValue(days)),
                NonInteractiveShare = parse.GetValue(niw),
                BurstCopies = parse.GetValue(bursts),
                StartDay = parse.GetValue(startDay),
            };
            long count = TraceTool.Generate(options, path, traceFormat);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {count} requests to {path} ({traceFormat})");
        }));
        return command;
    }

    private static Command CreateStats()
    {
        var input = new Argument<string>("input") { Description = "Trace file." };
        var format = new Option<string?>("--format") { Description = "sageserve | azure | mooncake (default: detected)." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report here." };
        var seed = new Option<long>("--seed") { Description = "Seed of the model/region/tier assignment for Azure and Mooncake traces.", DefaultValueFactory = _ => 1 };
        var command = new Command("stats", "Characterise a trace: rates per hour, lengths, burstiness, imbalance.") { input, format, html, seed };
        command.SetAction(parse => Run(parse, () =>
        {
            string path = parse.GetRequiredValue(input);
            TraceStatsResult result = TraceTool.Stats(path, TraceTool.ParseFormat(parse.GetValue(format), path), parse.GetValue(html), new TraceAssignment { Seed = parse.GetValue(seed) });
            parse.InvocationConfiguration.Output.Write(result.Text);
        }));
        return command;
    }

    private static Command CreateConvert()
    {
        var input = new Argument<string>("input") { Description = "Trace file to read." };
        var output = new Argument<string>("output") { Description = "Trace file to write." };
        var from = new Option<string?>("--from") { Description = "Input format (default: detected)." };
        var to = new Option<string?>("--to") { Description = "Output format (default: from the output extension)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the model/region/tier assignment when the input lacks them.", DefaultValueFactory = _ => 1 };
        var command = new Command("convert", "Convert between SageServe CSV, Azure CSV and Mooncake JSONL.") { input, output, from, to, seed };
        command.SetAction(parse => Run(parse, () =>
        {
            string source = parse.GetRequiredValue(input);
            string target = parse.GetRequiredValue(output);
            long count = TraceTool.Convert(
                source,
                TraceTool.ParseFormat(parse.GetValue(from), source),
                target,
                FormatFor(parse.GetValue(to), target),
                new TraceAssignment { Seed = parse.GetValue(seed) });
            parse.InvocationConfiguration.Output.WriteLine($"converted {count} requests to {target}");
        }));
        return command;
    }

    // The output does not exist yet, so its format comes from the name, not from sniffing a header.
    private static TraceFormat FormatFor(string? name, string path) =>
        name is null && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? TraceFormat.SageServe : TraceTool.ParseFormat(name, path);

    private static int Run(ParseResult parse, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (TraceFormatException ex)
        {
            parse.InvocationConfiguration.Error.WriteLine(ex.Message);
            return MalformedTrace;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
            return InvalidInput;
        }
    }
}
