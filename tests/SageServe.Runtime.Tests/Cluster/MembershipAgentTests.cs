using SageServe.Runtime.Cluster;
using Xunit.Abstractions;

namespace SageServe.Runtime.Tests.Cluster;

/// <summary>Failure detection in virtual time: three (or two) agents over one in-memory table, ticked every second.</summary>
public sealed class MembershipAgentTests(ITestOutputHelper output)
{
    private static readonly SiloAddress s_a = TestCluster.Silo(1);
    private static readonly SiloAddress s_b = TestCluster.Silo(2);
    private static readonly SiloAddress s_c = TestCluster.Silo(3);

    [Fact]
    public async Task StartAsync_ThreeSilos_AllActiveAndEveryAgentSeesTheSameTable()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);
        await cluster.RunForAsync(TimeSpan.FromSeconds(10));

        var table = await cluster.Table.ReadAllAsync();
        Assert.All(table.Entries, e => Assert.Equal(SiloStatus.Active, e.Status));
        Assert.Equal([s_a, s_b, s_c], table.Entries.Select(e => e.Address));
        Assert.All(cluster.Agents, a => Assert.Equal(table.Version, a.Snapshot.Version));
        Assert.All(cluster.Agents, a => Assert.True(a.HasFreshView));

        // Joining then Active for each: two versioned writes per silo, and no votes in a healthy cluster.
        Assert.Equal(6, table.Version);
    }

    [Fact]
    public async Task TickAsync_SiloCrashes_DeclaredDeadWithinDeathTimeoutAndSurvivorsAgree()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);
        var director = new PlacementDirector();
        Assert.Equal(s_a, director.GetOwner(new GrainId("planner", "main"), cluster.Agents[0].Snapshot));

        cluster.Pause(s_a);
        var took = await cluster.RunUntilAsync(
            () => cluster.Agents.Skip(1).All(a => a.Snapshot.Find(s_a)?.Status == SiloStatus.Dead),
            limit: TimeSpan.FromMinutes(5));

        output.WriteLine($"crashed silo declared dead after {took} (DeathTimeout {cluster.Options.DeathTimeout})");
        Assert.NotNull(took);
        Assert.InRange(took.Value, TimeSpan.FromSeconds(10), cluster.Options.DeathTimeout + 3 * cluster.Options.HeartbeatPeriod);
        var b = cluster.Agent(s_b).Snapshot;
        var c = cluster.Agent(s_c).Snapshot;
        Assert.Equal(b.Version, c.Version);
        Assert.Equal(b.Entries.Select(e => (e.Address, e.Status)), c.Entries.Select(e => (e.Address, e.Status)));
        var dead = b.Find(s_a)!;
        Assert.Equal([s_b, s_c], dead.Suspicions.Select(s => s.Suspecter).Order());
        Assert.Equal(s_b, director.GetOwner(new GrainId("planner", "main"), b));
    }

    [Fact]
    public async Task TickAsync_DeadSiloReadsTableAgain_SeesItselfDeadStopsAndWritesNothing()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);
        var victim = cluster.Agent(s_c);
        var raised = 0;
        victim.DeclaredDead += (_, _) => raised++;
        cluster.Pause(s_c);
        Assert.NotNull(await cluster.RunUntilAsync(async () => await cluster.StatusInTableAsync(s_c) == SiloStatus.Dead, TimeSpan.FromMinutes(5)));
        var before = await cluster.Table.ReadAllAsync();

        cluster.Resume(s_c);
        await cluster.RunForAsync(TimeSpan.FromSeconds(30));

        Assert.True(victim.IsDeclaredDead);
        Assert.False(victim.IsRunning);
        Assert.Equal(1, raised);
        var after = await cluster.Table.ReadAllAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(SiloStatus.Dead, after.Find(s_c)!.Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => victim.StartAsync());
    }

    [Fact]
    public async Task TickAsync_PausedSixtySeconds_FindsItselfDeadAndIsNeverPlacementOwner()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);
        var paused = cluster.Agent(s_b);
        var director = new PlacementDirector();
        var grains = Enumerable.Range(0, 1000).Select(i => new GrainId("session", $"s{i}")).ToList();
        Assert.Contains(grains, g => director.GetOwner(g, paused.Snapshot) == s_b);

        cluster.Pause(s_b);
        await cluster.RunForAsync(TimeSpan.FromSeconds(60));
        cluster.Resume(s_b);

        // Before its first tick the paused silo's view is too old to act on, even though it has not learnt the news.
        Assert.False(paused.HasFreshView);
        Assert.False(paused.IsDeclaredDead);
        await paused.TickAsync();
        Assert.True(paused.IsDeclaredDead);
        Assert.False(paused.HasFreshView);
        foreach (var agent in cluster.Agents)
        {
            Assert.DoesNotContain(grains, g => director.GetOwner(g, agent.Snapshot) == s_b);
        }

        Assert.DoesNotContain(grains, g => director.GetOwner(g, cluster.Agent(s_a).Snapshot) is null);
    }

    [Fact]
    public async Task TickAsync_HeartbeatsStopButProbesAnswer_DeclaredDeadOnlyAfterDeathTimeout()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);

        cluster.Freeze(s_c);
        var took = await cluster.RunUntilAsync(async () => await cluster.StatusInTableAsync(s_c) == SiloStatus.Dead, TimeSpan.FromMinutes(5));

        output.WriteLine($"silent (but probe-answering) silo declared dead after {took}");
        Assert.NotNull(took);
        Assert.InRange(took.Value, cluster.Options.DeathTimeout - cluster.Options.HeartbeatPeriod, cluster.Options.DeathTimeout + 2 * cluster.Options.TableRefreshPeriod);
    }

    [Fact]
    public async Task TickAsync_OnlyOneSiloCannotReachAnother_NotEnoughVotesNoDeath()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);

        cluster.Network.Cut(s_a, s_c);
        await cluster.RunForAsync(TimeSpan.FromMinutes(3));

        var entry = (await cluster.Table.ReadAllAsync()).Find(s_c)!;
        Assert.Equal(SiloStatus.Active, entry.Status);
        Assert.Equal([s_a], entry.Suspicions.Select(s => s.Suspecter).Distinct());
    }

    [Fact]
    public async Task TickAsync_SuspicionOlderThanWindow_DoesNotCountTowardDeath()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);
        cluster.Network.Cut(s_a, s_c);
        await cluster.RunForAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([s_a], (await cluster.Table.ReadAllAsync()).Find(s_c)!.Suspicions.Select(s => s.Suspecter));
        cluster.Network.Heal(s_a, s_c);
        await cluster.RunForAsync(TimeSpan.FromSeconds(80));

        cluster.Network.Cut(s_b, s_c);
        await cluster.RunForAsync(TimeSpan.FromSeconds(20));

        var entry = (await cluster.Table.ReadAllAsync()).Find(s_c)!;
        Assert.Equal(SiloStatus.Active, entry.Status);
        Assert.Equal([s_b], entry.Suspicions.Select(s => s.Suspecter));
    }

    [Fact]
    public async Task TickAsync_TwoSilosOneCrashes_SurvivorsSingleVoteSuffices()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(2);

        cluster.Pause(s_b);
        var took = await cluster.RunUntilAsync(async () => await cluster.StatusInTableAsync(s_b) == SiloStatus.Dead, TimeSpan.FromMinutes(5));

        Assert.NotNull(took);
        Assert.True(took <= cluster.Options.DeathTimeout, $"took {took}");
        Assert.Equal([s_a], (await cluster.Table.ReadAllAsync()).Find(s_b)!.Suspicions.Select(s => s.Suspecter));
    }

    [Fact]
    public async Task TickAsync_TwoOfThreeCrash_LastSurvivorStillDeclaresBothDead()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);

        cluster.Pause(s_b);
        cluster.Pause(s_c);
        var took = await cluster.RunUntilAsync(
            () => cluster.Agent(s_a).Snapshot.Entries.Count(e => e.Status == SiloStatus.Dead) == 2,
            TimeSpan.FromMinutes(5));

        Assert.NotNull(took);
        Assert.True(took <= cluster.Options.DeathTimeout + 3 * cluster.Options.HeartbeatPeriod, $"took {took}");
        Assert.True(cluster.Agent(s_a).IsRunning);
    }

    [Fact]
    public async Task TickAsync_AllAgentsTickConcurrently_CasConflictsResolveToOneConsistentTable()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(5);
        var victim = TestCluster.Silo(5);
        cluster.Pause(victim);
        var versions = new List<long>();

        for (var second = 0; second < 60; second++)
        {
            cluster.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAll(cluster.Agents.Where(a => a.Address != victim).Select(a => Task.Run(() => a.TickAsync())));
            versions.Add((await cluster.Table.ReadAllAsync()).Version);
        }

        Assert.Equal(versions.Order(), versions);
        var table = await cluster.Table.ReadAllAsync();
        Assert.Equal(SiloStatus.Dead, table.Find(victim)!.Status);
        Assert.Equal(4, table.Entries.Count(e => e.Status == SiloStatus.Active));
        Assert.InRange(table.Find(victim)!.Suspicions.Select(s => s.Suspecter).Distinct().Count(), 2, 4);
    }

    [Fact]
    public async Task TickAsync_TwoSilosPartitionedTickingConcurrently_ExactlyOneSurvives()
    {
        for (var trial = 0; trial < 20; trial++)
        {
            var cluster = new TestCluster();
            await cluster.StartAsync(2);
            cluster.Network.Cut(s_a, s_b);
            cluster.Network.Cut(s_b, s_a);

            for (var second = 0; second < 40; second++)
            {
                cluster.Time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAll(cluster.Agents.Select(a => Task.Run(() => a.TickAsync())));
            }

            var table = await cluster.Table.ReadAllAsync();
            Assert.Equal(1, table.Entries.Count(e => e.Status == SiloStatus.Dead));
            var survivor = Assert.Single(cluster.Agents, a => a.IsRunning);
            Assert.Equal(SiloStatus.Active, table.Find(survivor.Address)!.Status);
            Assert.True(Assert.Single(cluster.Agents, a => !a.IsRunning).IsDeclaredDead);
        }
    }

    [Fact]
    public async Task TickAsync_DeadRowOlderThanRetention_OldestSiloDeletesIt()
    {
        var options = new ClusterOptions { DeadEntryRetention = TimeSpan.FromMinutes(10), DeadEntryCleanupPeriod = TimeSpan.FromMinutes(1) };
        var cluster = new TestCluster(options);
        await cluster.StartAsync(3);
        cluster.Pause(s_c);
        Assert.NotNull(await cluster.RunUntilAsync(async () => await cluster.StatusInTableAsync(s_c) == SiloStatus.Dead, TimeSpan.FromMinutes(2)));

        await cluster.RunForAsync(TimeSpan.FromMinutes(9));
        Assert.Equal(SiloStatus.Dead, await cluster.StatusInTableAsync(s_c));
        await cluster.RunForAsync(TimeSpan.FromMinutes(2));

        var table = await cluster.Table.ReadAllAsync();
        Assert.Null(table.Find(s_c));
        Assert.Equal([s_a, s_b], table.Entries.Select(e => e.Address));

        // A silo that comes back and finds no row at all also knows it is out.
        cluster.Resume(s_c);
        await cluster.RunForAsync(TimeSpan.FromSeconds(10));
        Assert.True(cluster.Agent(s_c).IsDeclaredDead);
        Assert.Equal(2, (await cluster.Table.ReadAllAsync()).Entries.Count);
    }

    [Fact]
    public async Task StopAsync_Graceful_RowDeadImmediatelyWithoutVotes()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(3);

        await cluster.Agent(s_c).StopAsync();

        var entry = (await cluster.Table.ReadAllAsync()).Find(s_c)!;
        Assert.Equal(SiloStatus.Dead, entry.Status);
        Assert.Empty(entry.Suspicions);
        Assert.False(cluster.Agent(s_c).IsRunning);
        Assert.False(cluster.Agent(s_c).IsDeclaredDead);
    }

    [Fact]
    public async Task StartAsync_SameAddressAndGenerationAgain_Throws()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(2);
        var twin = new MembershipAgent(s_b, cluster.Table, cluster.Network.ProberFor(s_b), cluster.Options, cluster.Time);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => twin.StartAsync());

        Assert.Contains("new generation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RestartOnSameEndpointWithNewGeneration_OldGenerationDeadAtOnce()
    {
        var cluster = new TestCluster();
        await cluster.StartAsync(2);
        cluster.Pause(s_b);
        cluster.Time.Advance(TimeSpan.FromSeconds(3));

        var reborn = TestCluster.Silo(2, generation: 2);
        await cluster.StartAsync(reborn);

        var table = await cluster.Table.ReadAllAsync();
        Assert.Equal(SiloStatus.Dead, table.Find(s_b)!.Status);
        Assert.Equal(SiloStatus.Active, table.Find(reborn)!.Status);
    }

    [Fact]
    public async Task TickAsync_ProberThrows_CountsAsFailedProbe()
    {
        var time = new ManualTimeProvider(TestCluster.Epoch);
        var table = new InMemoryMembershipTable();
        var other = TestCluster.Silo(2);
        await table.InsertAsync(MembershipEntry.Create(other, SiloStatus.Active, time.GetUtcNow()), 0);
        var agent = new MembershipAgent(TestCluster.Silo(1), table, new ThrowingProber(), new ClusterOptions(), time);
        await agent.StartAsync();

        for (var second = 0; second < 20 && agent.Snapshot.Find(other)!.Status != SiloStatus.Dead; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await table.UpdateIAmAliveAsync(other, time.GetUtcNow()); // its heartbeats are fine; only probes fail
            await agent.TickAsync();
        }

        Assert.Equal(SiloStatus.Dead, agent.Snapshot.Find(other)!.Status);
    }

    [Fact]
    public async Task TickAsync_HeartbeatWriteFails_StillRefreshesThenRethrows()
    {
        var time = new ManualTimeProvider(TestCluster.Epoch);
        var table = new HeartbeatFailingTable();
        var agent = new MembershipAgent(TestCluster.Silo(1), table, new FakeNetwork().ProberFor(TestCluster.Silo(1)), new ClusterOptions(), time);
        await agent.StartAsync();
        var other = MembershipEntry.Create(TestCluster.Silo(2), SiloStatus.Active, time.GetUtcNow());
        Assert.True(await table.InsertAsync(other, agent.Snapshot.Version));
        table.FailHeartbeats = true;

        time.Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<IOException>(() => agent.TickAsync());

        Assert.Equal("table unreachable for heartbeats", ex.Message);
        Assert.NotNull(agent.Snapshot.Find(other.Address));
        Assert.True(agent.IsRunning);
    }

    private sealed class HeartbeatFailingTable : IMembershipTable
    {
        private readonly InMemoryMembershipTable _inner = new();

        public bool FailHeartbeats { get; set; }

        public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default) => _inner.ReadAllAsync(cancellationToken);

        public Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.InsertAsync(entry, expectedVersion, cancellationToken);

        public Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.UpdateAsync(entry, expectedVersion, cancellationToken);

        public Task<bool> UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken = default) =>
            FailHeartbeats ? throw new IOException("table unreachable for heartbeats") : _inner.UpdateIAmAliveAsync(address, iAmAliveTime, cancellationToken);

        public Task<int> DeleteDeadEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
            _inner.DeleteDeadEntriesAsync(olderThan, cancellationToken);
    }

    private sealed class ThrowingProber : ISiloProber
    {
        public Task<bool> ProbeAsync(SiloAddress target, CancellationToken cancellationToken) =>
            throw new IOException("connection refused");
    }
}
