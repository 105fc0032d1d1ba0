using System.CommandLine;
using SageServe.Runtime.Diagnostics;

namespace SageServe.Silo.Commands;

/// <summary><c>sageserve bench …</c>: benchmarks that print numbers (speed targets are checked here, not in tests).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark and print its numbers.");
        var calls = new Option<long>("--calls")
        {
            Description = "Calls per scenario (after a warm-up of 10,000).",
            DefaultValueFactory = _ => 2_000_000,
        };
        var runtime = new Command("runtime", "In-process grain calls per second and allocations per call, under both schedulers.");
        runtime.Options.Add(calls);
        runtime.SetAction(parse =>
        {
            var n = parse.GetValue(calls);
            if (n < 1000)
            {
                Console.Error.WriteLine("sageserve bench runtime: --calls must be at least 1000.");
                return 2;
            }

            Console.WriteLine($"# runtime benchmark: {n:N0} calls per scenario, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            Console.WriteLine($"{"scenario",-40} {"calls/s",14} {"bytes/call",11} {"elapsed",10}");
            foreach (var r in RuntimeBenchmark.Run(n))
            {
                Console.WriteLine($"{r.Scenario,-40} {r.CallsPerSecond,14:N0} {r.BytesPerCall,11:F2} {r.Elapsed.TotalSeconds,9:F2}s");
            }

            return 0;
        });
        bench.Subcommands.Add(runtime);
        bench.Subcommands.Add(BenchRouteCommand.Create());

        var series = new Option<int>("--series") { Description = "Series to fit (models × regions).", DefaultValueFactory = _ => 12 };
        var days = new Option<int>("--days") { Description = "Days of per-minute history per series (≥ 2).", DefaultValueFactory = _ => 7 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic series.", DefaultValueFactory = _ => 1 };
        var workload = new Option<bool>("--workload")
        {
            Description = "Score on the generated workload instead: per-minute IW prompt tokens of every (region, model) over --days generated days (default week).",
        };
        var forecast = new Command("forecast", "Fit time and out-of-sample MAPE (rolling origin, hourly) of every forecaster.")
        {
            series, days, seed, workload,
        };
        forecast.SetAction(parse =>
        {
            if (parse.GetValue(series) < 1 || parse.GetValue(days) < 2)
            {
                Console.Error.WriteLine("sageserve bench forecast: --series must be ≥ 1 and --days ≥ 2.");
                return 2;
            }

            if (parse.GetValue(workload))
            {
                var generated = SageServe.Simulation.Experiments.ForecastQuality.Series(new SageServe.Simulation.Workloads.SyntheticWorkloadOptions
                {
                    Seed = parse.GetValue(seed),
                    Duration = TimeSpan.FromDays(parse.GetValue(days)),
                });
                IReadOnlyList<SageServe.Planning.Forecasting.IForecaster> forecasters =
                [
                    new SageServe.Planning.Forecasting.SeasonalNaiveForecaster(),
                    new SageServe.Planning.Forecasting.HoltWintersForecaster(),
                    new SageServe.Planning.Forecasting.ArimaForecaster(),
                ];
                Console.Write(SageServe.Simulation.Experiments.ForecastQuality.Report(generated, forecasters, TimeSpan.FromHours(3), TimeSpan.FromDays(1)));
                return 0;
            }

            Console.Write(SageServe.Planning.Forecasting.ForecastBenchmark.Run(parse.GetValue(series), parse.GetValue(days), parse.GetValue(seed), TimeProvider.System));
            return 0;
        });
        bench.Subcommands.Add(forecast);
        return bench;
    }
}
