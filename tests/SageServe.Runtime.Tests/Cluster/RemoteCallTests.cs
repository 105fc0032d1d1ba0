using SageServe.Runtime.Cluster;

namespace SageServe.Runtime.Tests.Cluster;

/// <summary>Grain calls between silos over real HTTP/2 on loopback, with membership in an in-memory table.</summary>
public sealed class RemoteCallTests : IAsyncLifetime
{
    private static readonly ClusterOptions s_options = new()
    {
        // Fast enough for a short test, slow enough that a busy test host keeps a fresh view (3 × 500 ms).
        HeartbeatPeriod = TimeSpan.FromMilliseconds(250),
        TableRefreshPeriod = TimeSpan.FromMilliseconds(250),
        ProbePeriod = TimeSpan.FromMilliseconds(500),
        ProbeTimeout = TimeSpan.FromMilliseconds(500),
        ProbeFailuresBeforeSuspect = 3,
        DeathTimeout = TimeSpan.FromSeconds(5),
        NumVotesForDeath = 1,
    };

    private readonly InMemoryMembershipTable _table = new();
    private readonly List<ClusterSiloHarness> _silos = [];

    public async Task InitializeAsync()
    {
        _silos.Add(await ClusterSiloHarness.StartAsync("a", "westus", _table, s_options));
        _silos.Add(await ClusterSiloHarness.StartAsync("b", "eastus", _table, s_options));
        foreach (var silo in _silos)
        {
            await silo.Agent.TickAsync();
            silo.Agent.StartTimer();
        }

        await WaitUntilAsync(() => _silos.All(s => s.Agent.Snapshot.ActiveEntries().Count == 2), "both silos see two active members");
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Call_GrainOwnedByOtherSilo_RunsThereOnly()
    {
        var (a, b) = (_silos[0], _silos[1]);

        // Region affinity: keys are region names, so "eastus" lives on b whoever calls.
        Assert.Equal("b", await a.Grain("eastus").WhereAsync(0));
        Assert.Equal("a", await b.Grain("westus").WhereAsync(0));
        Assert.Equal(3, await a.Grain("eastus").AddAsync(3));
        Assert.Equal(7, await b.Grain("eastus").AddAsync(4));

        Assert.Contains(new GrainId("region", "eastus"), b.Silo.ActiveGrains());
        Assert.DoesNotContain(new GrainId("region", "eastus"), a.Silo.ActiveGrains());
        Assert.True(a.Routing.RemoteCallsSent >= 2);
        Assert.True(b.Routing.RemoteCallsReceived >= 2);
    }

    [Fact]
    public async Task Call_FromGrainToRemoteGrain_ResumesInCaller()
    {
        var (a, b) = (_silos[0], _silos[1]);
        Assert.Equal("b", await a.Grain("westus").RelayAsync("eastus"));

        // A Task-returning method called remotely: its own argument crosses, and the relay comes back to b.
        Assert.Equal("b", await b.Grain("westus").RelayAsync("eastus"));
    }

    [Fact]
    public async Task Call_RemoteMethodThrows_CallerGetsTypeAndMessage()
    {
        var error = await Assert.ThrowsAsync<RemoteGrainException>(async () => await _silos[0].Grain("eastus").FailAsync("bad plan"));
        Assert.Equal(typeof(ArgumentException).FullName, error.RemoteType);
        Assert.Contains("bad plan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crash_OwnerDies_GrainReactivatesOnSurvivorAfterDeclaredDead()
    {
        var (a, b) = (_silos[0], _silos[1]);
        Assert.Equal("b", await a.Grain("eastus").WhereAsync(0));
        await b.CrashAsync();

        // The call made while b is unreachable waits (retries) until membership moves the grain, then runs on a. A
        // call that raced the crash on b's old connection has an unknown outcome (a timeout), at most once.
        string where;
        try
        {
            where = await a.Grain("eastus").WhereAsync(0);
        }
        catch (GrainCallTimeoutException)
        {
            where = await a.Grain("eastus").WhereAsync(0);
        }

        Assert.Equal("a", where);
        Assert.Equal(SiloStatus.Dead, a.Agent.Snapshot.Find(b.Address)!.Status);
        Assert.Contains(new GrainId("region", "eastus"), a.Silo.ActiveGrains());
    }

    [Fact]
    public async Task Stop_SiloLeavesGracefully_GrainsMoveAndOldGenerationIsRefused()
    {
        var (a, b) = (_silos[0], _silos[1]);
        Assert.Equal("b", await a.Grain("eastus").WhereAsync(0));
        b.Routing.BeginStopping();
        await b.Agent.StopAsync();
        await WaitUntilAsync(() => a.Agent.Snapshot.ActiveEntries().Count == 1, "a sees b leave");
        Assert.Equal("a", await a.Grain("eastus").WhereAsync(0));

        // A call addressed to b (which still listens) is refused without running.
        var refusedBefore = b.Routing.NotOwnerRefusals;
        Assert.Equal("a", await a.Grain("eastus").WhereAsync(0));
        Assert.Equal(refusedBefore, b.Routing.NotOwnerRefusals);
    }

    [Fact]
    public async Task Rebalance_NewSiloJoinsItsRegion_ActivationMovesAndOnlyOneRemains()
    {
        var a = _silos[0];
        Assert.Contains(await a.Grain("centralus").WhereAsync(0), new[] { "a", "b" }); // no centralus silo yet: placed by hash among all
        var c = await ClusterSiloHarness.StartAsync("c", "centralus", _table, s_options);
        _silos.Add(c);
        c.Agent.StartTimer();
        await WaitUntilAsync(() => _silos.All(s => s.Agent.Snapshot.ActiveEntries().Count == 3), "all see c");
        await WaitUntilAsync(() => !_silos[0].Silo.ActiveGrains().Contains(new GrainId("region", "centralus")) && !_silos[1].Silo.ActiveGrains().Contains(new GrainId("region", "centralus")), "old activation deactivated");
        Assert.Equal("c", await a.Grain("centralus").WhereAsync(0));
        Assert.Equal(1, _silos.Count(s => s.Silo.ActiveGrains().Contains(new GrainId("region", "centralus"))));
    }

    [Fact]
    public async Task Rebalance_CallQueuedBehindAMovingGrain_RefusedNotReactivatedOnTheOldSilo()
    {
        var a = _silos[0];
        var oldHome = await a.Grain("centralus").WhereAsync(0);
        var old = _silos.Single(s => s.Name == oldHome);

        // A long turn on the old activation, and a call queued behind it on the same silo.
        var holding = old.Grain("centralus").HoldAsync(TimeSpan.FromSeconds(4));
        var queued = old.Grain("centralus").WhereAsync(0).AsTask();

        // centralus's own silo joins: the grain moves there; the old activation deactivates after its turn.
        var c = await ClusterSiloHarness.StartAsync("c", "centralus", _table, s_options);
        _silos.Add(c);
        c.Agent.StartTimer();
        await WaitUntilAsync(() => _silos.All(s => s.Agent.Snapshot.ActiveEntries().Count == 3), "all see c");

        Assert.Equal(oldHome, await holding);
        var refused = await Assert.ThrowsAsync<SiloUnavailableException>(() => queued);
        Assert.Contains("moved to silo", refused.Message, StringComparison.Ordinal);
        await WaitUntilAsync(() => !old.Silo.ActiveGrains().Contains(new GrainId("region", "centralus")), "the old activation is gone");

        // Retried, it runs on the owner; the old silo never re-created an activation.
        Assert.Equal("c", await old.Grain("centralus").WhereAsync(0));
        Assert.Equal(1, _silos.Count(s => s.Silo.ActiveGrains().Contains(new GrainId("region", "centralus"))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Transport_MissingOrWrongClusterKey_401AndNothingRuns(string? key)
    {
        var b = _silos[1];
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var before = b.Routing.RemoteCallsReceived;
        foreach (var path in new[] { "internal/v1/call", "internal/v1/ping" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(b.SiloUri, path))
            {
                Content = new ByteArrayContent([]),
                Version = System.Net.HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            if (key is not null)
            {
                request.Headers.Add(SageServe.Runtime.Cluster.Remoting.HttpSiloTransport.ClusterKeyHeader, key);
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(before, b.Routing.RemoteCallsReceived);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        // Real sockets and a real membership timer: poll the condition (bounded), never sleep a fixed time.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Yield();
            await Task.Delay(20);
        }
    }
}
