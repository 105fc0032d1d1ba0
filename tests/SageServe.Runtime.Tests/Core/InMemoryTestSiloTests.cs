using SageServe.Runtime.Hosting;
using SageServe.Runtime.Testing;

namespace SageServe.Runtime.Tests.Core;

/// <summary>The fixture shared by this class's tests: counters and notes on an in-memory silo.</summary>
public sealed class CounterSiloFixture : InMemoryTestSilo
{
    protected override void Configure(SiloBuilder builder) => builder
        .AddGrain<ICounterGrain, CounterGrain>("counter", () => new CounterGrain(new TestLog()), r => new CounterGrainReference(r))
        .AddGrain<INoteGrain, NoteGrain>("note", () => new NoteGrain(), r => new NoteGrainReference(r));
}

public sealed class InMemoryTestSiloTests(CounterSiloFixture fixture) : IClassFixture<CounterSiloFixture>
{
    [Fact]
    public void Fixture_RunsGrainsInVirtualTime()
    {
        var value = fixture.Run(async grains =>
        {
            var counter = grains.GetGrain<ICounterGrain>("fixture-counter");
            await counter.AddAsync(2);
            return await counter.AddAsync(3);
        });

        Assert.Equal(5, value);
        Assert.Equal(InMemoryTestSilo.Epoch, fixture.Scheduler.Now);
    }

    [Fact]
    public void Fixture_StateGoesToItsMemoryStorage()
    {
        fixture.Run(grains => grains.GetGrain<INoteGrain>("fixture-note").SaveAsync("kept").AsTask());

        Assert.True(fixture.Storage.Count >= 1);
    }
}
