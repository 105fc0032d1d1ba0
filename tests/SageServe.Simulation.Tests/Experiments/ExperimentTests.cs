using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Grains.Scaling;
using SageServe.Grains.Strategies;
using SageServe.Simulation.Experiments;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Reports;
using SageServe.Simulation.Workloads;

namespace SageServe.Simulation.Tests.Experiments;

public sealed class ExperimentTests
{
    private static readonly PerformanceCatalog s_catalog = PerformanceCatalog.Reference();
    private static readonly SkuId s_sku = new("a100-80gb");

    private static SyntheticWorkloadGenerator Generator(int seed, double perDay = 40_000, double hours = 6) => new(new SyntheticWorkloadOptions
    {
        Seed = seed,
        RequestsPerDay = perDay,
        Duration = TimeSpan.FromHours(hours),
    });

    private static ExperimentReport Run(SyntheticWorkloadGenerator generator, int seed, IReadOnlyList<string> strategies, Func<IEnumerable<InferenceRequest>>? workload = null)
    {
        var topology = StaticFleetSizer.ForWindow(generator, s_catalog, s_sku, 0, 60);
        return ExperimentRunner.Run(
            workload ?? generator.Generate,
            strategies,
            new SimulationOptions { Topology = topology, Catalog = s_catalog, Seed = seed, PlannerHistory = WarmUpHistory.Before(generator.Options) },
            (n, d) => new WorkloadSummary("synthetic", n, d, 0.14, false));
    }

    [Fact]
    public void EveryStrategy_BooksBalancePerTier_AndNothingIsLost()
    {
        var generator = Generator(seed: 3);
        var expected = generator.Generate().Count();
        var poison = new[]
        {
            // A model deployed nowhere, and a prompt no instance can hold: both must be rejected with a reason.
            new InferenceRequest(10_000_001, TimeSpan.FromMinutes(30), new ModelId("Z"), Tier.Interactive, ImmutableArray.Create(new RegionId("westus")), 100, 10),
            new InferenceRequest(10_000_002, TimeSpan.FromMinutes(31), new ModelId("B"), Tier.Interactive, ImmutableArray.Create(new RegionId("eastus")), 80_000, 100),
        };
        IEnumerable<InferenceRequest> Workload() => generator.Generate().Concat(poison).OrderBy(r => r.Arrival);

        var report = Run(generator, seed: 3, ServingStrategies.Names, Workload);

        Assert.Equal(ServingStrategies.Names, report.Strategies.Select(s => s.Name));
        foreach (var s in report.Strategies)
        {
            var a = s.Accounting;
            Assert.Equal(expected + 2, a.Arrived);
            Assert.Equal(a.Arrived, a.Completed + a.Rejected + a.Running);
            Assert.Equal(a.Interactive.Arrived, a.Interactive.Completed + a.Interactive.Rejected + a.Interactive.Running);
            Assert.Equal(a.NonInteractive.Arrived, a.NonInteractive.Completed + a.NonInteractive.Rejected + a.NonInteractive.Running);
            Assert.Equal(a.Arrived, a.Interactive.Arrived + a.NonInteractive.Arrived);
            Assert.Equal(2, a.Rejected);
            Assert.Contains(a.RejectedByReason.Keys, r => r.Contains("model Z is not deployed", StringComparison.Ordinal));
            Assert.Contains(a.RejectedByReason.Keys, r => r.Contains("KV tokens", StringComparison.Ordinal));
            Assert.True(s.GpuHours > 0 && s.CostUsd > 0);
            Assert.InRange(s.WastedGpuHours, 0, s.GpuHours);
        }
    }

    [Fact]
    public void SameSeed_ByteIdenticalSummaryJson_OtherSeedDiffers()
    {
        static byte[] Json(ExperimentReport report)
        {
            using var stream = new MemoryStream();
            ReportWriter.WriteSummaryJson(report, stream);
            return stream.ToArray();
        }

        var first = Json(Run(Generator(seed: 5, hours: 3), seed: 5, ["Reactive", "Chiron", "LT-UA", "SageServe+"]));
        var second = Json(Run(Generator(seed: 5, hours: 3), seed: 5, ["Reactive", "Chiron", "LT-UA", "SageServe+"]));
        var other = Json(Run(Generator(seed: 6, hours: 3), seed: 6, ["Reactive", "Chiron", "LT-UA", "SageServe+"]));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void NiwDeadlines_TooShortForTheFleet_AreReportedAsMissed()
    {
        // NIW work with a one-second deadline cannot all finish in time: the misses must show, not vanish.
        var generator = new SyntheticWorkloadGenerator(new SyntheticWorkloadOptions
        {
            Seed = 8,
            RequestsPerDay = 40_000,
            Duration = TimeSpan.FromHours(2),
            NonInteractiveShare = 0.5,
            NonInteractiveDeadline = TimeSpan.FromSeconds(1),
        });

        var report = Run(generator, seed: 8, ["Reactive"]);

        var niw = report.Strategies.Single().Niw;
        Assert.True(niw.MissedDeadlines > 0);
        Assert.True(niw.DeadlineAttainment < 1);
        Assert.Equal(report.Strategies.Single().Accounting.NonInteractive.Arrived, niw.Requests);
    }

    [Fact]
    public void Run_UnsortedWorkload_FailsNamingTheRequest()
    {
        var generator = Generator(seed: 1, hours: 1);
        var unsorted = new[]
        {
            new InferenceRequest(1, TimeSpan.FromMinutes(5), new ModelId("A"), Tier.Interactive, ImmutableArray.Create(new RegionId("westus")), 10, 10),
            new InferenceRequest(2, TimeSpan.FromMinutes(4), new ModelId("A"), Tier.Interactive, ImmutableArray.Create(new RegionId("westus")), 10, 10),
        };

        var error = Assert.Throws<ArgumentException>(() => Run(generator, 1, ["Reactive"], () => unsorted));
        Assert.Contains("Request 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reactive_ComparedWithSiloed_UsesFewerGpuHoursAtTheSameSlo()
    {
        var report = Run(Generator(seed: 2, perDay: 200_000, hours: 12), seed: 2, ["Siloed", "Reactive"]);

        var siloed = report.Strategies.Single(s => s.Name == "Siloed");
        var reactive = report.Strategies.Single(s => s.Name == "Reactive");
        Assert.True(reactive.GpuHours < siloed.GpuHours, $"Reactive {reactive.GpuHours:F0} vs Siloed {siloed.GpuHours:F0} GPU-h");
        Assert.True(reactive.Iw.SloAttainment >= 0.99, $"Reactive IW SLO {reactive.Iw.SloAttainment:P2}");
    }

    [Fact]
    public void Faults_CrashesAndFailedVms_BooksStillBalanceAndRunsRepeat()
    {
        var generator = Generator(seed: 4, perDay: 300_000, hours: 12);
        var sized = StaticFleetSizer.ForWindow(generator, s_catalog, s_sku, 0, 60);
        var topology = new FleetTopology([.. sized.Deployments.Select(d => d with { SpotVms = 3 })]); // donated VMs the spot market can take
        var options = new SimulationOptions
        {
            Topology = topology,
            Catalog = s_catalog,
            Seed = 4,
            Faults = new FaultOptions { ProvisioningFailureRate = 0.5, SpotPreemptionsPerVmHour = 0.2, WorkerCrashesPerInstanceHour = 0.5 },
        };

        StrategyRun Once() => SimulationRunner.Run(generator.Generate(), ServingStrategies.Create("Reactive"), options);
        var run = Once();
        var again = Once();

        var actions = run.Fleet.Actions;
        Assert.True(actions.GetValueOrDefault(ScalingAction.WorkerCrashed) > 0);
        Assert.True(actions.GetValueOrDefault(ScalingAction.SpotPreempted) > 0, string.Join(", ", actions.Select(p => $"{p.Key}={p.Value}")));
        var total = run.Requests.Total();
        Assert.Equal(generator.Generate().Count(), total.Arrived);
        Assert.Equal(total.Arrived, total.Completed + total.Rejected.Values.Sum() + total.Running);
        Assert.True(total.Completed > total.Arrived * 0.95, $"crashed work must be routed again: {total.Completed} of {total.Arrived} completed");
        Assert.Equal(actions.OrderBy(p => p.Key), again.Fleet.Actions.OrderBy(p => p.Key));
        Assert.Equal(run.Fleet.GpuHours, again.Fleet.GpuHours);
    }

    [Theory]
    [InlineData("crash=x")]
    [InlineData("provisioning=1.5")]
    [InlineData("meteor=0.1")]
    [InlineData("crash")]
    public void FaultOptions_Malformed_NamesTheItem(string text)
    {
        var error = Assert.Throws<FormatException>(() => FaultOptions.Parse(text));
        Assert.Contains(text.Split(',')[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongTermStrategies_PlanHourlyFromOutOfSampleHistory_AndKeepTheBooks()
    {
        var options = new SyntheticWorkloadOptions { Seed = 12, RequestsPerDay = 200_000, Duration = TimeSpan.FromHours(6) };
        var generator = new SyntheticWorkloadGenerator(options);
        var plans = new List<(DateTimeOffset At, int Regions)>();
        var simulation = new SimulationOptions
        {
            PlanObserver = (at, regions) => plans.Add((at, regions.Count)),
            Topology = StaticFleetSizer.ForWindow(generator, s_catalog, s_sku, 0, 60),
            Catalog = s_catalog,
            Seed = 12,
            PlannerHistory = WarmUpHistory.Before(options),
        };

        foreach (var name in new[] { "LT-I", "LT-U", "LT-UA" })
        {
            var run = SimulationRunner.Run(generator.Generate(), ServingStrategies.Create(name), simulation);
            var total = run.Requests.Total();
            Assert.Equal(total.Arrived, total.Completed + total.Rejected.Values.Sum() + total.Running);
            Assert.Equal(0, total.Rejected.Values.Sum());
            Assert.True(run.Requests.Total((_, _, t) => t == Tier.Interactive).SloAttainment >= 0.99, name);
        }

        // The planner wakes at the start and every hour; each plan covers every region.
        Assert.True(plans.Count >= 3 * 6, $"{plans.Count} plans");
        Assert.All(plans, p => Assert.Equal(3, p.Regions));
        Assert.All(plans.Take(7), p => Assert.Equal(TimeSpan.Zero, (p.At - simulation.Epoch).Subtract(TimeSpan.FromHours(Math.Round((p.At - simulation.Epoch).TotalHours)))));
        var history = WarmUpHistory.Before(options);
        Assert.NotEmpty(history(new RegionId("westus"), new ModelId("A")));
        Assert.Equal(24 * 60, history(new RegionId("westus"), new ModelId("A")).Count);
    }
}
