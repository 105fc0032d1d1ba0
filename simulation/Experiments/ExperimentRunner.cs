using SageServe.Grains.Domain;
using SageServe.Grains.Strategies;
using SageServe.Simulation.Reports;

namespace SageServe.Simulation.Experiments;

/// <summary>Runs one workload under several strategies, each on a fresh silo with the same seed, and reports.</summary>
public static class ExperimentRunner
{
    /// <summary>Runs every strategy in <paramref name="strategies"/> on the workload <paramref name="workload"/> yields.</summary>
    /// <param name="workload">Yields the same requests, in arrival order, every time it is called.</param>
    /// <param name="strategies">Strategy names (SPEC §3), run in this order.</param>
    /// <param name="options">Fleet and clock.</param>
    /// <param name="describe">What to say about the workload in the report.</param>
    /// <param name="onStrategy">Told when each strategy starts; returns a progress sink for it (or null).</param>
    public static ExperimentReport Run(
        Func<IEnumerable<InferenceRequest>> workload,
        IReadOnlyList<string> strategies,
        SimulationOptions options,
        Func<long, double, WorkloadSummary> describe,
        Func<string, IProgress<TimeSpan>?>? onStrategy = null)
    {
        var reports = new List<StrategyReport>();
        StrategyRun? first = null;
        foreach (var name in strategies)
        {
            var strategy = ServingStrategies.Create(name);
            var run = SimulationRunner.Run(workload(), strategy, options, onStrategy?.Invoke(strategy.Name));
            first ??= run;
            reports.Add(ReportBuilder.Build(run));
        }

        var days = first is null ? 0 : first.LastArrival.TotalDays;
        return new ExperimentReport(ExperimentReport.CurrentSchemaVersion, options.Seed, describe(first?.ArrivedRequests ?? 0, days), reports);
    }
}
