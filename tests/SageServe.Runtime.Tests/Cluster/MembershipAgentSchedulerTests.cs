using SageServe.Runtime.Cluster;
using SageServe.Runtime.Scheduling;

namespace SageServe.Runtime.Tests.Cluster;

/// <summary>Agents ticking from their own timers on a <see cref="DeterministicScheduler"/>: virtual time, no sleeps.</summary>
/// <remarks>
/// xunit runs tests under its own SynchronizationContext, and timer callbacks of the scheduler inherit it, so a
/// continuation that cannot run inline (a probe timing out) would hop to xunit's context, off the virtual clock. A
/// simulation's thread has no context; the tests clear it the same way.
/// </remarks>
public sealed class MembershipAgentSchedulerTests
{
    [Fact]
    public void StartTimer_CrashedSiloUnderDeterministicScheduler_DeclaredDeadAndRunsAreIdentical()
    {
        using var noContext = new NoSynchronizationContext();
        var first = RunCrashScenario();
        var second = RunCrashScenario();

        Assert.Equal(SiloStatus.Dead, first.Find(TestCluster.Silo(3))!.Status);
        Assert.Equal(2, first.Entries.Count(e => e.Status == SiloStatus.Active));
        Assert.Equal(Describe(first), Describe(second));
    }

    [Fact]
    public void StartTimer_HealthyClusterForAnHour_NoSuspicionsAndHeartbeatsCurrent()
    {
        using var noContext = new NoSynchronizationContext();
        var scheduler = new DeterministicScheduler(TestCluster.Epoch);
        var (table, agents, _) = StartCluster(scheduler);

        scheduler.RunFor(TimeSpan.FromHours(1));

        var snapshot = scheduler.Run(() => table.ReadAllAsync());
        Assert.All(snapshot.Entries, e => Assert.Equal(SiloStatus.Active, e.Status));
        Assert.All(snapshot.Entries, e => Assert.Empty(e.Suspicions));
        Assert.All(snapshot.Entries, e => Assert.InRange(scheduler.Now - e.IAmAliveTime, TimeSpan.Zero, new ClusterOptions().HeartbeatPeriod));
        Assert.All(agents, a => Assert.Null(a.LastTickError));
        Assert.Equal(6, snapshot.Version);
    }

    [Fact]
    public void StartTimer_ProbeNeverAnswers_TimesOutInVirtualTimeAndOwnHeartbeatsContinue()
    {
        using var noContext = new NoSynchronizationContext();
        var scheduler = new DeterministicScheduler(TestCluster.Epoch);
        var table = new InMemoryMembershipTable();
        var self = TestCluster.Silo(1);
        var hung = TestCluster.Silo(2);
        scheduler.Run(() => table.InsertAsync(MembershipEntry.Create(hung, SiloStatus.Active, scheduler.Now), 0));
        var agent = new MembershipAgent(self, table, new HangingProber(), new ClusterOptions(), scheduler.Time);
        scheduler.Run(() => agent.StartAsync());
        agent.StartTimer();

        // The hung silo keeps heartbeating; only its probes never return.
        using var heartbeat = scheduler.Time.CreateTimer(_ => table.UpdateIAmAliveAsync(hung, scheduler.Now), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        scheduler.RunFor(TimeSpan.FromSeconds(25));

        var snapshot = scheduler.Run(() => table.ReadAllAsync());
        Assert.Equal(SiloStatus.Dead, snapshot.Find(hung)!.Status);
        Assert.Equal(SiloStatus.Active, snapshot.Find(self)!.Status);
        Assert.InRange(scheduler.Now - snapshot.Find(self)!.IAmAliveTime, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Null(agent.LastTickError);
    }

    private sealed class NoSynchronizationContext : IDisposable
    {
        private readonly SynchronizationContext? _previous = SynchronizationContext.Current;

        public NoSynchronizationContext() => SynchronizationContext.SetSynchronizationContext(null);

        public void Dispose() => SynchronizationContext.SetSynchronizationContext(_previous);
    }

    private sealed class HangingProber : ISiloProber
    {
        public Task<bool> ProbeAsync(SiloAddress target, CancellationToken cancellationToken) => new TaskCompletionSource<bool>().Task;
    }

    private static MembershipSnapshot RunCrashScenario()
    {
        var scheduler = new DeterministicScheduler(TestCluster.Epoch);
        var (table, agents, network) = StartCluster(scheduler);
        scheduler.RunFor(TimeSpan.FromSeconds(20));

        var victim = agents[2];
        scheduler.Run(() => victim.DisposeAsync().AsTask());
        network.Down(victim.Address);
        scheduler.RunFor(TimeSpan.FromSeconds(45));

        Assert.All(agents.Take(2), a => Assert.Equal(SiloStatus.Dead, a.Snapshot.Find(victim.Address)!.Status));
        Assert.All(agents, a => Assert.Null(a.LastTickError));
        return scheduler.Run(() => table.ReadAllAsync());
    }

    private static (InMemoryMembershipTable Table, List<MembershipAgent> Agents, FakeNetwork Network) StartCluster(DeterministicScheduler scheduler)
    {
        var table = new InMemoryMembershipTable();
        var network = new FakeNetwork();
        var agents = new List<MembershipAgent>();
        for (var i = 1; i <= 3; i++)
        {
            var silo = TestCluster.Silo(i);
            var agent = new MembershipAgent(silo, table, network.ProberFor(silo), new ClusterOptions(), scheduler.Time);
            scheduler.Run(() => agent.StartAsync());
            agent.StartTimer();
            agents.Add(agent);
            scheduler.RunFor(TimeSpan.FromMilliseconds(700));
        }

        return (table, agents, network);
    }

    private static string Describe(MembershipSnapshot snapshot) =>
        $"v{snapshot.Version}: " + string.Join("; ", snapshot.Entries.Select(e =>
            $"{e.Address} {e.Status} alive {e.IAmAliveTime:O} by [{string.Join(",", e.Suspicions.Select(s => $"{s.Suspecter.Host}@{s.Time:O}"))}]"));
}
