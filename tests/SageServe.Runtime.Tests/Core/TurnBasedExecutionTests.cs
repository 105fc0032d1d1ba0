using SageServe.Runtime.Hosting;

namespace SageServe.Runtime.Tests.Core;

public sealed class TurnBasedExecutionTests
{
    [Fact]
    public async Task GetGrain_HundredConcurrentLiveCallers_OneActivationAndNoLostUpdates()
    {
        var log = new TestLog();
        await using var silo = TestSilos.Builder(log).UseLiveScheduler().Build();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await silo.GrainFactory.GetGrain<ICounterGrain>("shared").AddAsync(1);
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, silo.ActivationsCreated);
        Assert.Single(log.Snapshot(), e => e == "activate shared");
        Assert.Equal(Enumerable.Range(1, 100), results.Order());
        Assert.Equal(100, await silo.GrainFactory.GetGrain<ICounterGrain>("shared").PeekAsync(0));
    }

    [Fact]
    public void Calls_ToOneGrain_RunOneTurnAtATimeInArrivalOrder()
    {
        var log = new TestLog();
        var silo = TestSilos.Deterministic(log);
        var probe = silo.GrainFactory.GetGrain<IProbeGrain>("p");

        silo.Simulation!.Run(async () =>
        {
            var first = probe.WorkAsync("gated-1");
            var second = probe.WorkAsync("plain-2");
            var third = probe.WorkAsync("plain-3");
            await probe.OpenGateInterleavedAsync(0);
            await Task.WhenAll(first, second, third);
        });

        Assert.Equal(
            ["p enter gated-1", "p exit gated-1", "p enter plain-2", "p exit plain-2", "p enter plain-3", "p exit plain-3"],
            log.Snapshot());
    }

    [Fact]
    public void AlwaysInterleave_RunsWhileATurnIsSuspended()
    {
        var log = new TestLog();
        var silo = TestSilos.Deterministic(log);
        var probe = silo.GrainFactory.GetGrain<IProbeGrain>("p");

        silo.Simulation!.Run(async () =>
        {
            var gated = probe.WorkAsync("gated-1");
            var interleaved = probe.InterleavedWorkAsync("plain-i");
            await interleaved; // completes although gated-1 still holds the turn
            log.Add("interleaved done");
            await probe.OpenGateInterleavedAsync(0);
            await gated;
        });

        Assert.Equal(["p enter gated-1", "p enter plain-i", "p exit plain-i", "interleaved done", "p exit gated-1"], log.Snapshot());
    }

    [Fact]
    public void NonInterleavingCall_BehindASuspendedTurn_WaitsUntilTheDeadline()
    {
        var log = new TestLog();
        var silo = TestSilos.Deterministic(log);
        var probe = silo.GrainFactory.GetGrain<IProbeGrain>("p");

        var error = Assert.Throws<GrainCallTimeoutException>(() => silo.Simulation!.Run(async () =>
        {
            _ = probe.WorkAsync("gated-1");
            await probe.OpenGateAsync(0); // not interleaving: queued behind the gated turn, which it should open
        }));

        Assert.Contains("IProbeGrain.OpenGateAsync", error.Message, StringComparison.Ordinal);
        Assert.Equal(TestSilos.Epoch + TimeSpan.FromSeconds(30), silo.Simulation!.Now);
    }

    [Fact]
    public void CallCycle_ThroughAnotherGrain_FailsFastWithDeadlockException()
    {
        var log = new TestLog();
        var silo = TestSilos.Deterministic(log);
        var a = silo.GrainFactory.GetGrain<IProbeGrain>("a");

        var error = Assert.Throws<DeadlockException>(() => silo.Simulation!.Run(() => a.CallThroughAsync("b")));

        Assert.Contains("probe/a", error.Message, StringComparison.Ordinal);
        Assert.Equal(TestSilos.Epoch, silo.Simulation!.Now); // no waiting for a deadline
    }

    [Fact]
    public void SlowCall_PastDefaultDeadline_ThrowsGrainCallTimeoutExceptionInVirtualTime()
    {
        var log = new TestLog();
        var silo = TestSilos.Deterministic(log);
        var probe = silo.GrainFactory.GetGrain<IProbeGrain>("p");

        Assert.Throws<GrainCallTimeoutException>(() => silo.Simulation!.Run(() => probe.SlowAsync(TimeSpan.FromHours(1))));

        Assert.Equal(TestSilos.Epoch + TimeSpan.FromSeconds(30), silo.Simulation!.Now);
    }

    [Fact]
    public void SlowCall_WithinConfiguredDeadline_Completes()
    {
        var log = new TestLog();
        var silo = TestSilos.Deterministic(log, o => o.DefaultCallTimeout = TimeSpan.FromHours(2));
        var probe = silo.GrainFactory.GetGrain<IProbeGrain>("p");

        var result = silo.Simulation!.Run(() => probe.SlowAsync(TimeSpan.FromHours(1)));

        Assert.Equal(1, result);
        Assert.Equal(TestSilos.Epoch + TimeSpan.FromHours(1), silo.Simulation.Now);
    }

    [Fact]
    public async Task SlowCall_PastDeadline_ThrowsInLiveMode()
    {
        var log = new TestLog();
        await using var silo = TestSilos.Builder(log).Configure(o => o.DefaultCallTimeout = TimeSpan.FromMilliseconds(50)).UseLiveScheduler().Build();
        var probe = silo.GrainFactory.GetGrain<IProbeGrain>("p");

        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => probe.SlowAsync(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Build_InvalidOptions_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => TestSilos.Deterministic(new TestLog(), o => o.DefaultCallTimeout = TimeSpan.Zero));
        Assert.Contains("DefaultCallTimeout", error.Message, StringComparison.Ordinal);
    }
}
