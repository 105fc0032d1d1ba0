using System.CommandLine;
using System.Diagnostics;
using SageServe.Grains.Domain;
using SageServe.Grains.Scaling;
using SageServe.Grains.Strategies;
using SageServe.Simulation.Experiments;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Reports;
using SageServe.Simulation.Workloads;

namespace SageServe.Silo.Commands;

/// <summary>
/// <c>sageserve simulate</c>: replay a workload through the control plane in virtual time under each strategy and
/// report cost and SLAs. Exit codes: 0 success, 2 bad input (one line naming the file/option), 1 unexpected failure.
/// </summary>
internal static class SimulateCommand
{
    private const int BadInput = 2;

    public static Command Create()
    {
        var trace = new Option<string?>("--trace") { Description = "Replay this trace (SageServe CSV, Azure CSV or Mooncake JSONL) instead of the synthetic workload." };
        var format = new Option<string?>("--format") { Description = "Trace format: sageserve | azure | mooncake (default: detected)." };
        var perDay = new Option<double>("--requests-per-day") { Description = "Synthetic workload: expected requests per weekday.", DefaultValueFactory = _ => 1_500_000 };
        var days = new Option<double>("--days") { Description = "Synthetic workload: length in days.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the workload and of every random choice in the run.", DefaultValueFactory = _ => 1 };
        var burst = new Option<bool>("--burst") { Description = "Copy the first minute of every hour 8 extra times (~9x load), as the reference burst test." };
        var strategies = new Option<string?>("--strategies")
        {
            Description = $"Comma-separated strategies to compare (default: all available: {string.Join(",", ServingStrategies.Names)}).",
        };
        var sku = new Option<string>("--sku") { Description = "VM type of the fleet.", DefaultValueFactory = _ => "a100-80gb" };
        var faults = new Option<string?>("--faults")
        {
            Description = "Inject cloud faults, seeded: provisioning=SHARE (new VMs that fail), preemption=RATE (donated VMs taken back, per VM-hour), crash=RATE (worker crashes per instance-hour). E.g. provisioning=0.1,crash=0.05.",
        };
        var postProcessing = new Option<string>("--post-processing")
        {
            Description = "How planner strategies apply a plan's hourly targets: immediate (reference) | delay | keep-max | keep-min.",
            DefaultValueFactory = _ => "immediate",
        };
        var outDir = new Option<string?>("--out") { Description = "Write summary.json, CSV time series and report.html here (default: ./sageserve-out)." };
        var simulate = new Command("simulate", "Replay a workload through the control plane in virtual time; compare strategies on cost and SLAs.")
        {
            trace, format, perDay, days, seed, burst, strategies, sku, faults, postProcessing, outDir,
        };
        simulate.SetAction(parse =>
        {
            try
            {
                return Run(
                    parse.GetValue(trace), parse.GetValue(format), parse.GetValue(perDay), parse.GetValue(days), parse.GetValue(seed),
                    parse.GetValue(burst), parse.GetValue(strategies), parse.GetValue(sku)!, parse.GetValue(faults), parse.GetValue(postProcessing)!, parse.GetValue(outDir) ?? "sageserve-out");
            }
            catch (TraceFormatException e)
            {
                Console.Error.WriteLine(e.Message);
                return BadInput;
            }
            catch (BadInputException e)
            {
                Console.Error.WriteLine($"sageserve simulate: {e.Message}");
                return BadInput;
            }
        });
        return simulate;
    }

    private static int Run(string? tracePath, string? format, double perDay, double days, int seed, bool burst, string? strategyList, string sku, string? faultList, string postProcessingName, string outDir)
    {
        var postProcessing = postProcessingName.ToLowerInvariant() switch
        {
            "immediate" => Planning.Planner.PostProcessing.Immediate,
            "delay" => Planning.Planner.PostProcessing.DelayChanges,
            "keep-max" => Planning.Planner.PostProcessing.KeepMaximum,
            "keep-min" => Planning.Planner.PostProcessing.KeepMinimum,
            _ => throw new BadInputException($"--post-processing: '{postProcessingName}' is not immediate, delay, keep-max or keep-min."),
        };
        var names = ParseStrategies(strategyList);
        FaultOptions faults;
        try
        {
            faults = FaultOptions.Parse(faultList);
        }
        catch (FormatException e)
        {
            throw new BadInputException($"--faults: {e.Message}");
        }

        var catalog = PerformanceCatalog.Reference();
        var skuId = new SkuId(sku);
        if (catalog.Skus.Find(skuId.Name) is null)
        {
            throw new BadInputException($"--sku: unknown VM type '{sku}'; known: {string.Join(", ", catalog.Skus.Skus.Select(s => s.Sku))}.");
        }

        if (File.Exists(outDir))
        {
            throw new BadInputException($"--out: '{outDir}' is a file, not a directory.");
        }

        Func<IEnumerable<InferenceRequest>> workload;
        FleetTopology topology;
        Func<long, double, WorkloadSummary> describe;
        Func<RegionId, ModelId, IReadOnlyList<double>>? history = null;
        if (tracePath is not null)
        {
            if (!File.Exists(tracePath))
            {
                throw new BadInputException($"--trace: file not found: {tracePath}");
            }

            var traceFormat = format is null ? TraceTool.DetectFormat(tracePath) : TraceTool.ParseFormat(format, tracePath);

            // Validate the whole trace before anything runs or is written: a bad line fails here with file:line: field.
            var first = TraceTool.Read(tracePath, traceFormat).Select(r => (r.HomeRegion, r.Model)).Distinct().ToList();
            if (first.Count == 0)
            {
                throw new BadInputException($"--trace: {tracePath} holds no requests.");
            }

            workload = () => TraceTool.Read(tracePath, traceFormat);
            topology = new FleetTopology([.. first.Select(p => p.Model).Distinct().SelectMany(m =>
                SyntheticWorkloadOptions.DefaultRegions.Select(r => new Deployment(r.Region, m, skuId, 2)))]);
            var niwShare = 0.0;
            describe = (n, d) => new WorkloadSummary(Path.GetFileName(tracePath), n, d, niwShare, false);
            var counts = TraceTool.Read(tracePath, traceFormat).GroupBy(r => r.Tier).ToDictionary(g => g.Key, g => g.LongCount());
            niwShare = (double)counts.GetValueOrDefault(Tier.NonInteractive) / Math.Max(1, counts.Values.Sum());
        }
        else
        {
            var options = new SyntheticWorkloadOptions
            {
                Seed = seed,
                RequestsPerDay = perDay,
                Duration = TimeSpan.FromDays(days),
                BurstCopies = burst ? 8 : 0,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new BadInputException(e.Message);
            }

            var generator = new SyntheticWorkloadGenerator(options);
            workload = generator.Generate;
            topology = StaticFleetSizer.ForWindow(generator, catalog, skuId, fromMinute: 0, toMinute: 60);
            describe = (n, d) => new WorkloadSummary("synthetic", n, d, options.NonInteractiveShare, burst);
            history = WarmUpHistory.Before(options);
        }

        var wall = Stopwatch.StartNew();
        var report = ExperimentRunner.Run(
            workload, names, new SimulationOptions
            {
                Topology = topology, Catalog = catalog, Seed = seed, Faults = faults, PlannerHistory = history,
                Planner = new Grains.Planner.PlannerOptions { PostProcessing = postProcessing },
            }, describe,
            name => new Progress(name, TimeSpan.FromDays(Math.Max(days, 1e-6))));
        wall.Stop();
        if (!Console.IsErrorRedirected)
        {
            Console.Error.WriteLine();
        }

        var files = ReportWriter.WriteAll(report, outDir);
        SummaryTable.Print(report, wall.Elapsed, Console.Out);
        Console.WriteLine($"wrote {files.Count} files to {Path.GetFullPath(outDir)} (summary.json, report.html, CSV series)");
        return 0;
    }

    private static IReadOnlyList<string> ParseStrategies(string? list)
    {
        if (list is null)
        {
            return ServingStrategies.Names;
        }

        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new BadInputException("--strategies: empty list.");
        }

        var resolved = new List<string>();
        foreach (var name in names)
        {
            try
            {
                resolved.Add(ServingStrategies.Create(name).Name);
            }
            catch (ArgumentException e)
            {
                throw new BadInputException($"--strategies: {e.Message}");
            }
        }

        return resolved.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A user input problem: reported as one line, exit code 2.</summary>
    private sealed class BadInputException(string message) : Exception(message);

    /// <summary>A one-line progress bar on standard error (only on a terminal).</summary>
    private sealed class Progress(string strategy, TimeSpan duration) : IProgress<TimeSpan>
    {
        private readonly bool _enabled = !Console.IsErrorRedirected;
        private int _lastPercent = -1;

        public void Report(TimeSpan value)
        {
            var fraction = Math.Clamp(value / duration, 0, 1);
            if (!_enabled || (int)(fraction * 100) == _lastPercent)
            {
                return;
            }

            _lastPercent = (int)(fraction * 100);
            var filled = (int)(fraction * 30);
            Console.Error.Write($"\r{strategy,-10} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} (virtual {value:d\\.hh\\:mm})");
            if (_lastPercent == 100)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
