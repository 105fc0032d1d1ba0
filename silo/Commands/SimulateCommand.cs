using System.CommandLine;
using System.Diagnostics;
using SageServe.Grains.Domain;
using SageServe.Simulation.Experiments;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Metrics;
using SageServe.Simulation.Workloads;

namespace SageServe.Silo.Commands;

/// <summary><c>sageserve simulate</c>: replay a workload through the control plane in virtual time and report.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var perDay = new Option<double>("--requests-per-day") { Description = "Synthetic workload: expected requests per weekday.", DefaultValueFactory = _ => 1_500_000 };
        var days = new Option<double>("--days") { Description = "Synthetic workload: length in days.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the workload and of every random choice in the run.", DefaultValueFactory = _ => 1 };
        var burst = new Option<bool>("--burst") { Description = "Copy the first minute of every hour 8 extra times (~9x load), as the reference burst test." };
        var sku = new Option<string>("--sku") { Description = "VM type of the fleet.", DefaultValueFactory = _ => "a100-80gb" };
        var simulate = new Command("simulate", "Replay a workload through the control plane in virtual time and report cost and SLAs.")
        {
            perDay, days, seed, burst, sku,
        };
        simulate.SetAction(parse =>
        {
            var options = new SyntheticWorkloadOptions
            {
                Seed = parse.GetValue(seed),
                RequestsPerDay = parse.GetValue(perDay),
                Duration = TimeSpan.FromDays(parse.GetValue(days)),
                BurstCopies = parse.GetValue(burst) ? 8 : 0,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"sageserve simulate: {e.Message}");
                return 2;
            }

            var catalog = PerformanceCatalog.Reference();
            var skuId = new SkuId(parse.GetValue(sku)!);
            if (catalog.Skus.Find(skuId.Name) is null)
            {
                Console.Error.WriteLine($"sageserve simulate: --sku: unknown VM type '{skuId}'; known: {string.Join(", ", catalog.Skus.Skus.Select(s => s.Sku))}.");
                return 2;
            }

            var generator = new SyntheticWorkloadGenerator(options);
            var topology = StaticFleetSizer.ForPeak(generator, catalog, skuId);
            var wall = Stopwatch.StartNew();
            var result = SimulationRunner.Run(generator.Generate(), new SimulationOptions { Topology = topology, Catalog = catalog, Seed = parse.GetValue(seed) },
                new Progress(options.Duration));
            wall.Stop();
            if (!Console.IsErrorRedirected)
            {
                Console.Error.WriteLine();
            }

            Print(result, topology, wall.Elapsed);
            return 0;
        });
        return simulate;
    }

    private static void Print(SimulationResult result, FleetTopology topology, TimeSpan wall)
    {
        var total = result.Metrics.Total();
        Console.WriteLine($"replayed {result.Requests:N0} requests over {(result.VirtualEnd - result.VirtualStart).TotalHours:F1} virtual hours in {wall.TotalSeconds:F1} s of wall time ({result.Requests / wall.TotalSeconds:N0} requests/s)");
        Console.WriteLine($"fleet: {topology.Deployments.Sum(d => d.Instances)} instances (static, sized for the peak); {result.GpuHours:N0} GPU-hours");
        Console.WriteLine($"accounting: arrived {total.Arrived:N0} = completed {total.Completed:N0} + rejected {total.Rejected.Values.Sum():N0} + running {total.Running:N0}");
        foreach (var (reason, n) in total.Rejected.OrderByDescending(p => p.Value))
        {
            Console.WriteLine($"  rejected {n:N0}: {reason}");
        }

        Console.WriteLine($"{"tier",-16} {"requests",10} {"SLO met",8} {"TTFT p50",9} {"p95",8} {"p99",8} {"TBT p95",8} {"E2E p95",9}");
        foreach (var tier in new[] { Tier.Interactive, Tier.NonInteractive })
        {
            var s = result.Metrics.Total((_, _, t) => t == tier);
            Console.WriteLine($"{tier,-16} {s.Arrived,10:N0} {s.SloAttainment,8:P2} {S(s.TimeToFirstToken, 0.5),9} {S(s.TimeToFirstToken, 0.95),8} {S(s.TimeToFirstToken, 0.99),8} {S(s.TimeBetweenTokens, 0.95),8} {S(s.EndToEnd, 0.95),9}");
        }
    }

    private static string S(LatencyHistogram h, double q) => $"{h.Percentile(q):F2}s";

    /// <summary>A one-line progress bar on standard error.</summary>
    private sealed class Progress(TimeSpan duration) : IProgress<TimeSpan>
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
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} of the workload replayed (virtual {value:d\\.hh\\:mm})");
        }
    }
}
