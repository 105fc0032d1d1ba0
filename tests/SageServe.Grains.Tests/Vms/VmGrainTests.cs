using SageServe.Grains.Domain;
using SageServe.Grains.Instances;
using SageServe.Grains.Vms;

namespace SageServe.Grains.Tests.Vms;

public sealed class VmGrainTests
{
    [Fact]
    public async Task LoadModel_HomeModel_ReadyWithAWorkerAndItsInstanceServes()
    {
        await using var silo = new VmTestSilo();

        var result = silo.Load("westus/vm-0", "A", "op-1");

        Assert.Equal(VmCommandOutcome.Applied, result.Outcome);
        Assert.False(result.Repeated);
        Assert.Equal(VmState.Ready, result.Status.State);
        Assert.Equal(new ModelId("A"), result.Status.Model);
        Assert.Equal("westus/A/0", result.Status.InstanceKey);
        Assert.Equal("op-1", result.Status.LastOperationId);
        Assert.NotNull(result.Status.LastLoadTime);
        Assert.Equal(1, silo.Workers.Live);

        var served = silo.Run(async f => await f.GetGrain<IModelInstanceGrain>("westus/A/0").SubmitAsync(VmTestSilo.Request(1)));
        Assert.True(served);
        var load = silo.Status("westus/vm-0").Load;
        Assert.Equal(1, load.Running + load.Waiting);
        Assert.True(load.KvTokensReserved > 0);
        silo.Scheduler.RunUntilIdle();

        Assert.Equal("completed", silo.Observer.Final[1]);
        Assert.Equal("westus/A/0", silo.Observer.Completions[1].InstanceKey);
        var status = silo.Status("westus/vm-0");
        Assert.Equal(1, status.Completed);
        Assert.Equal(0, status.Load.Running + status.Load.Waiting);
        Assert.Equal(0, status.Load.KvTokensReserved);
    }

    [Fact]
    public async Task Reactivation_LoadedVm_LoadsItsModelAgainAndUnloadedStaysEmpty()
    {
        await using var silo = new VmTestSilo();
        silo.Load("westus/vm-0", "A", "op-1");
        silo.Load("westus/vm-1", "A", "op-2");
        silo.Unload("westus/vm-1", "op-3");
        silo.Scheduler.RunUntilIdle();

        // Deactivated (idle collection, or its silo died and it reactivates elsewhere): the worker goes with it.
        silo.Silo.Deactivate(new Runtime.GrainId("vm", "westus/vm-0"));
        silo.Silo.Deactivate(new Runtime.GrainId("vm", "westus/vm-1"));
        silo.Scheduler.RunUntilIdle();
        Assert.Equal(0, silo.Workers.Live);

        // The next call reactivates it from its record: the loaded one is Ready with a new worker, the unloaded one empty.
        var restored = silo.Status("westus/vm-0");
        Assert.Equal(VmState.Ready, restored.State);
        Assert.Equal(new ModelId("A"), restored.Model);
        Assert.Equal(1, silo.Workers.Live);
        Assert.Equal(VmState.Empty, silo.Status("westus/vm-1").State);
        Assert.True(silo.Run(async f => await f.GetGrain<IModelInstanceGrain>("westus/A/0").SubmitAsync(VmTestSilo.Request(7))));
    }

    [Fact]
    public async Task LoadModel_SameOperationIdTwice_SecondRepeatsTheAnswerAndCreatesNoWorker()
    {
        await using var silo = new VmTestSilo();

        var first = silo.Load("westus/vm-0", "A", "op-1");
        var again = silo.Load("westus/vm-0", "A", "op-1");
        var other = silo.Load("westus/vm-0", "A", "op-2");

        Assert.Equal(VmCommandOutcome.Applied, first.Outcome);
        Assert.Equal(VmCommandOutcome.Applied, again.Outcome);
        Assert.True(again.Repeated);
        Assert.Equal(VmCommandOutcome.NoChange, other.Outcome);
        Assert.False(other.Repeated);
        Assert.Equal(1, silo.Workers.Created);
        Assert.Equal(VmState.Ready, silo.Status("westus/vm-0").State);
    }

    [Fact]
    public async Task LoadModel_ModelNotDeployedInTheRegion_UnknownModelAndStaysEmpty()
    {
        await using var silo = new VmTestSilo();

        var result = silo.Load("westus/vm-0", "C", "op-1");

        Assert.Equal(VmCommandOutcome.UnknownModel, result.Outcome);
        Assert.Equal("model C is not deployed in westus", result.Problem);
        Assert.Equal(VmState.Empty, result.Status.State);
        Assert.Equal(0, silo.Workers.Created);
    }

    [Fact]
    public async Task LoadModel_WhileHoldingAnotherModel_ConflictAndKeepsServing()
    {
        await using var silo = new VmTestSilo();
        silo.Load("westus/vm-2", "B", "op-1");

        var result = silo.Load("westus/vm-2", "A", "op-2");

        Assert.Equal(VmCommandOutcome.Conflict, result.Outcome);
        Assert.Contains("unload it", result.Problem, StringComparison.Ordinal);
        Assert.Equal(new ModelId("B"), result.Status.Model);
        Assert.Equal(1, silo.Workers.Live);
    }

    [Fact]
    public async Task Submit_InstanceWhoseVmIsEmpty_RejectedWithTheReasonAndBooksBalance()
    {
        await using var silo = new VmTestSilo();

        var decision = silo.Route(VmTestSilo.Request(1, "B"));

        Assert.Equal("westus/B/0", decision.InstanceKey);
        Assert.Equal("rejected: VM westus/vm-2 holds no model", silo.Observer.Final[1]);
        var snapshot = silo.Snapshot();
        Assert.Equal(1, snapshot.Rejected["VM westus/vm-2 holds no model"]);
        Assert.Equal(0, snapshot.PendingTokensByInstance["westus/B/0"]);
    }

    [Fact]
    public async Task UnloadModel_Drain_RoutingStopsHeldRequestsCompleteThenTheWorkerIsDisposed()
    {
        await using var silo = new VmTestSilo();
        silo.Boot();
        // Eight long requests spread over A's two instances (four each, all running).
        var held = Enumerable.Range(1, 8).Select(i => silo.Route(VmTestSilo.Request(i, outputTokens: 100))).ToList();
        Assert.Equal(4, held.Count(d => d.InstanceKey == "westus/A/0"));

        var unload = silo.Unload("westus/vm-0", "unload-1");

        Assert.Equal(VmCommandOutcome.Applied, unload.Outcome);
        Assert.Equal(VmState.Draining, unload.Status.State);
        Assert.Equal(4, unload.Status.Load.Running);
        var after = Enumerable.Range(100, 6).Select(i => silo.Route(VmTestSilo.Request(i))).ToList();
        Assert.All(after, d => Assert.Equal("westus/A/1", d.InstanceKey));
        Assert.Equal(3, silo.Workers.Live);

        silo.Scheduler.RunUntilIdle();

        var status = silo.Status("westus/vm-0");
        Assert.Equal(VmState.Empty, status.State);
        Assert.Null(status.Model);
        Assert.Null(status.InstanceKey);
        Assert.Equal(4, status.Completed);
        Assert.Equal(2, silo.Workers.Live);
        Assert.All(held.Concat(after), d => Assert.Equal("completed", silo.Observer.Final[d.RequestId]));
        Assert.Equal(0, silo.Snapshot().PendingTokensByInstance["westus/A/0"]);
    }

    [Fact]
    public async Task UnloadModel_Abort_HeldRequestsRejectedWithTheReasonAndTheWorkerIsGoneAtOnce()
    {
        await using var silo = new VmTestSilo();
        silo.Boot();
        var held = Enumerable.Range(1, 8).Select(i => silo.Route(VmTestSilo.Request(i, outputTokens: 100))).ToList();

        var unload = silo.Unload("westus/vm-0", "unload-1", VmUnloadMode.Abort);
        silo.Scheduler.RunUntilIdle();

        Assert.Equal(VmState.Empty, unload.Status.State);
        Assert.Equal(2, silo.Workers.Live);
        const string reason = "model A was unloaded from VM westus/vm-0 (abort)";
        foreach (var d in held)
        {
            Assert.Equal(d.InstanceKey == "westus/A/0" ? $"rejected: {reason}" : "completed", silo.Observer.Final[d.RequestId]);
        }

        var snapshot = silo.Snapshot();
        Assert.Equal(4, snapshot.Rejected[reason]);
        Assert.Equal(snapshot.Arrived, snapshot.Completed + snapshot.Rejected.Values.Sum());
        Assert.All(snapshot.PendingTokensByInstance.Values, p => Assert.Equal(0, p));
    }

    [Fact]
    public async Task UnloadModel_DrainTimeout_WhatIsStillHeldIsRejectedAtTheDeadline()
    {
        await using var silo = new VmTestSilo();
        silo.Boot();
        silo.Route(VmTestSilo.Request(1, "B", outputTokens: 10)); // 0.4 s: finishes within the drain
        silo.Route(VmTestSilo.Request(2, "B", outputTokens: 500)); // 10.2 s: does not

        var unload = silo.Unload("westus/vm-2", "unload-1", VmUnloadMode.Drain, TimeSpan.FromSeconds(2));
        silo.Scheduler.RunUntilIdle();

        Assert.Equal(VmState.Draining, unload.Status.State);
        Assert.Equal("completed", silo.Observer.Final[1]);
        Assert.Equal("rejected: model B was unloaded from VM westus/vm-2 and the drain timed out", silo.Observer.Final[2]);
        Assert.Equal(VmState.Empty, silo.Status("westus/vm-2").State);
        Assert.Equal(VmTestSilo.Epoch + TimeSpan.FromSeconds(2), silo.Scheduler.Now);
    }

    [Fact]
    public async Task UnloadModel_EmptyVmOrRepeatedId_NoChange()
    {
        await using var silo = new VmTestSilo();
        silo.Boot();

        var first = silo.Unload("westus/vm-1", "u-1", VmUnloadMode.Abort);
        var repeat = silo.Unload("westus/vm-1", "u-1", VmUnloadMode.Abort);
        var onEmpty = silo.Unload("westus/vm-1", "u-2");

        Assert.Equal(VmCommandOutcome.Applied, first.Outcome);
        Assert.True(repeat.Repeated);
        Assert.Equal(VmCommandOutcome.NoChange, onEmpty.Outcome);
        Assert.Equal("u-2", onEmpty.Status.LastOperationId);
        Assert.Equal(2, silo.Workers.Live);
    }

    [Fact]
    public async Task LoadModel_AfterUnload_TheSameInstanceServesAgain()
    {
        await using var silo = new VmTestSilo();
        silo.Boot();
        silo.Unload("westus/vm-0", "u-1", VmUnloadMode.Abort);
        Assert.All(Enumerable.Range(1, 4).Select(i => silo.Route(VmTestSilo.Request(i))), d => Assert.Equal("westus/A/1", d.InstanceKey));

        var reload = silo.Load("westus/vm-0", "A", "l-2");
        var routed = Enumerable.Range(10, 4).Select(i => silo.Route(VmTestSilo.Request(i))).ToList();
        silo.Scheduler.RunUntilIdle();

        Assert.Equal(VmCommandOutcome.Applied, reload.Outcome);
        Assert.Equal("westus/A/0", reload.Status.InstanceKey);
        Assert.Contains(routed, d => d.InstanceKey == "westus/A/0");
        Assert.All(routed, d => Assert.Equal("completed", silo.Observer.Final[d.RequestId]));
        Assert.Equal(4, silo.Workers.Created); // boot made three, the reload one more
    }

    [Fact]
    public async Task LoadModel_AnotherModelOfTheRegion_ANewInstanceJoinsThatModelsPool()
    {
        await using var silo = new VmTestSilo();
        silo.Boot();
        silo.Unload("westus/vm-2", "u-1");

        var result = silo.Load("westus/vm-2", "A", "l-1");
        var routed = Enumerable.Range(1, 9).Select(i => silo.Route(VmTestSilo.Request(i, outputTokens: 100))).ToList();
        silo.Scheduler.RunUntilIdle();

        Assert.Equal(VmCommandOutcome.Applied, result.Outcome);
        Assert.Equal($"westus/A/{VmLayout.ForeignIndexBase + 2}", result.Status.InstanceKey);
        Assert.Equal(3, routed.Where(d => d.InstanceKey == result.Status.InstanceKey).Count());
        Assert.Equal(3, silo.Status("westus/vm-2").Completed);
        // B's only instance went offline with the unload: B is not served in westus any more.
        var b = silo.Route(VmTestSilo.Request(50, "B"));
        Assert.Equal(RouteOutcome.Rejected, b.Outcome);
        Assert.Equal("no Unified instance of B is serving in westus", b.Reason);
    }

    [Fact]
    public async Task CrashInstance_HostedOnVm_HeldRequestsReturnedAndTheWorkerRestartsEmpty()
    {
        await using var silo = new VmTestSilo();
        silo.Boot();
        var held = Enumerable.Range(1, 4).Select(i => silo.Route(VmTestSilo.Request(i, outputTokens: 100))).Where(d => d.InstanceKey == "westus/A/0").ToList();

        Assert.Equal(2, held.Count);

        var lost = silo.Run(async f => await f.GetGrain<IModelInstanceGrain>("westus/A/0").CrashAsync(0));

        Assert.Equal(held.Select(d => d.RequestId).Order(), lost.Select(r => r.Id).Order());
        var status = silo.Status("westus/vm-0");
        Assert.Equal(VmState.Ready, status.State);
        Assert.Equal(0, status.Load.Running + status.Load.Waiting);
    }
}
