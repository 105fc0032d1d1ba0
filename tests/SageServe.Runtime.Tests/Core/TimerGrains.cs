using SageServe.Runtime.Hosting;

namespace SageServe.Runtime.Tests.Core;

public interface ITickerGrain : IGrainWithStringKey
{
    ValueTask StartAsync(TimeSpan period);

    ValueTask<long> TicksAsync(int unused);

    ValueTask StopAsync(int unused);
}

/// <summary>Counts timer ticks and logs each with its virtual time and a draw from the grain's seeded randomness.</summary>
public sealed class TickerGrain(TestLog log) : Grain, ITickerGrain
{
    private IDisposable? _timer;
    private long _ticks;

    public ValueTask StartAsync(TimeSpan period)
    {
        _timer ??= RegisterTimer(_ =>
        {
            _ticks++;
            log.Add($"{Key} tick {_ticks} at {Time.GetUtcNow():O} draw {Random.Next(1000)}");
            return Task.CompletedTask;
        }, period, period);
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> TicksAsync(int unused) => ValueTask.FromResult(_ticks);

    public ValueTask StopAsync(int unused)
    {
        _timer?.Dispose();
        _timer = null;
        return ValueTask.CompletedTask;
    }
}

internal sealed class TickerGrainReference(GrainReference reference) : ITickerGrain
{
    private static readonly CallDescriptor s_start = CallDescriptor.For<ITickerGrain>(nameof(ITickerGrain.StartAsync));
    private static readonly CallDescriptor s_ticks = CallDescriptor.For<ITickerGrain>(nameof(ITickerGrain.TicksAsync));
    private static readonly CallDescriptor s_stop = CallDescriptor.For<ITickerGrain>(nameof(ITickerGrain.StopAsync));

    public ValueTask StartAsync(TimeSpan period) => reference.InvokeAsync(s_start, period, static (ITickerGrain g, TimeSpan p) => g.StartAsync(p));

    public ValueTask<long> TicksAsync(int unused) => reference.InvokeAsync(s_ticks, unused, static (ITickerGrain g, int u) => g.TicksAsync(u));

    public ValueTask StopAsync(int unused) => reference.InvokeAsync(s_stop, unused, static (ITickerGrain g, int u) => g.StopAsync(u));
}

internal static class TickerSilos
{
    public static Silo Deterministic(TestLog log, int seed, TimeSpan? collectionAge = null) => TestSilos.Builder(log)
        .AddGrain<ITickerGrain, TickerGrain>("ticker", () => new TickerGrain(log), r => new TickerGrainReference(r))
        .Configure(o =>
        {
            o.Seed = seed;
            o.CollectionAge = collectionAge ?? Timeout.InfiniteTimeSpan;
        })
        .UseDeterministicScheduler(TestSilos.Epoch)
        .Build();
}
