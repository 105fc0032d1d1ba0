using SageServe.Runtime.Hosting;
using SageServe.Runtime.Scheduling;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Testing;

/// <summary>
/// An in-memory silo for tests, usable as an xunit class fixture (parameterless constructor; derive and override
/// <see cref="Configure"/> to register grains): deterministic scheduler on virtual time, memory storage as the default
/// grain storage, idle collection off. No test framework is referenced, so any runner can use it.
/// </summary>
public class InMemoryTestSilo : IAsyncDisposable
{
    /// <summary>The virtual clock's start: Monday 2026-01-05 00:00 UTC.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Builds the silo (calls <see cref="Configure"/>).</summary>
    public InMemoryTestSilo()
    {
        var builder = new SiloBuilder()
            .AddGrainStorage(StorageNames.Default, Storage)
            .Configure(o =>
            {
                o.Name = "test";
                o.CollectionAge = Timeout.InfiniteTimeSpan;
            });
        Configure(builder);
        Silo = builder.UseDeterministicScheduler(Epoch).Build();
    }

    /// <summary>The silo.</summary>
    public Silo Silo { get; }

    /// <summary>Its default grain storage.</summary>
    public MemoryGrainStorage Storage { get; } = new();

    /// <summary>References to the silo's grains.</summary>
    public IGrainFactory GrainFactory => Silo.GrainFactory;

    /// <summary>The deterministic scheduler: <c>Run</c>, <c>RunFor</c>, <c>RunUntilIdle</c>.</summary>
    public DeterministicScheduler Scheduler => Silo.Simulation!;

    /// <summary>Runs <paramref name="body"/> on the silo's scheduler to completion and returns its result.</summary>
    public T Run<T>(Func<IGrainFactory, Task<T>> body) => Scheduler.Run(() => body(GrainFactory));

    /// <summary>Runs <paramref name="body"/> on the silo's scheduler to completion.</summary>
    public void Run(Func<IGrainFactory, Task> body) => Scheduler.Run(() => body(GrainFactory));

    /// <summary>Registers grains and options (override in a derived fixture).</summary>
    protected virtual void Configure(SiloBuilder builder)
    {
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
