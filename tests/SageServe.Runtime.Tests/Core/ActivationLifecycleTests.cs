using SageServe.Runtime.Hosting;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Tests.Core;

public sealed class ActivationLifecycleTests
{
    private static Silo NoteSilo(IGrainStorage storage, TimeSpan collectionAge) => TestSilos.Builder(new TestLog())
        .AddGrain<INoteGrain, NoteGrain>("note", () => new NoteGrain(), r => new NoteGrainReference(r))
        .AddGrainStorage(StorageNames.Default, storage)
        .Configure(o => o.CollectionAge = collectionAge)
        .UseDeterministicScheduler(TestSilos.Epoch)
        .Build();

    [Fact]
    public void IdleGrain_PastCollectionAge_IsDeactivatedAndReactivatesWithItsState()
    {
        var silo = NoteSilo(new MemoryGrainStorage(), TimeSpan.FromMinutes(10));
        var note = silo.GrainFactory.GetGrain<INoteGrain>("n1");
        var id = new GrainId("note", "n1");

        silo.Simulation!.Run(() => note.SaveAsync("hello").AsTask());
        silo.Simulation.RunFor(TimeSpan.FromMinutes(5));
        Assert.True(silo.IsActive(id));

        silo.Simulation.RunFor(TimeSpan.FromMinutes(7));
        Assert.False(silo.IsActive(id));
        Assert.Equal(1, silo.Deactivations);

        var text = silo.Simulation.Run(() => note.ReadAsync(0).AsTask());
        Assert.Equal("hello#1", text);
        Assert.Equal(2, silo.ActivationsCreated);
    }

    [Fact]
    public void Deactivate_Explicitly_NextCallReactivatesWithState()
    {
        var silo = NoteSilo(new MemoryGrainStorage(), Timeout.InfiniteTimeSpan);
        var note = silo.GrainFactory.GetGrain<INoteGrain>("n1");

        silo.Simulation!.Run(() => note.SaveAsync("kept").AsTask());
        silo.Deactivate(new GrainId("note", "n1"));
        silo.Simulation.RunUntilIdle();
        Assert.Equal(0, silo.ActivationCount);

        Assert.Equal("kept#1", silo.Simulation.Run(() => note.ReadAsync(0).AsTask()));
    }

    [Fact]
    public void StaleWrite_FromASecondActivation_FailsLoudlyAndDeactivatesTheStaleCopy()
    {
        var storage = new MemoryGrainStorage();
        var first = NoteSilo(storage, Timeout.InfiniteTimeSpan);
        var second = NoteSilo(storage, Timeout.InfiniteTimeSpan);
        var id = new GrainId("note", "shared");

        // Both activate (reading "no record"); the first write wins, the second is stale.
        Assert.Equal("#0", second.Simulation!.Run(() => second.GrainFactory.GetGrain<INoteGrain>("shared").ReadAsync(0).AsTask()));
        first.Simulation!.Run(() => first.GrainFactory.GetGrain<INoteGrain>("shared").SaveAsync("from first").AsTask());

        Assert.Throws<InconsistentStateException>(() =>
            second.Simulation.Run(() => second.GrainFactory.GetGrain<INoteGrain>("shared").SaveAsync("from second").AsTask()));
        second.Simulation.RunUntilIdle();
        Assert.False(second.IsActive(id));

        // The next activation reads the winner's state.
        Assert.Equal("from first#1", second.Simulation.Run(() => second.GrainFactory.GetGrain<INoteGrain>("shared").ReadAsync(0).AsTask()));
    }

    [Fact]
    public void GetPersistentState_WithUnknownStorage_FailsActivationNamingTheStorage()
    {
        var silo = TestSilos.Builder(new TestLog())
            .AddGrain<INoteGrain, NoteGrain>("note", () => new NoteGrain(), r => new NoteGrainReference(r))
            .UseDeterministicScheduler(TestSilos.Epoch)
            .Build();

        var error = Assert.Throws<GrainActivationException>(() =>
            silo.Simulation!.Run(() => silo.GrainFactory.GetGrain<INoteGrain>("n").ReadAsync(0).AsTask()));
        Assert.Contains("'Default'", error.Message, StringComparison.Ordinal);
    }
}
