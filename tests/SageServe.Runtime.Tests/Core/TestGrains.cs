using SageServe.Runtime.Hosting;

namespace SageServe.Runtime.Tests.Core;

public interface ICounterGrain : IGrainWithStringKey
{
    ValueTask<int> AddAsync(int delta);

    [AlwaysInterleave]
    ValueTask<int> PeekAsync(int unused);
}

public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Records entry, awaits the gate (if any), records exit.</summary>
    Task<int> WorkAsync(string label);

    [AlwaysInterleave]
    Task<int> InterleavedWorkAsync(string label);

    ValueTask OpenGateAsync(int unused);

    [AlwaysInterleave]
    ValueTask OpenGateInterleavedAsync(int unused);

    /// <summary>Calls <paramref name="other"/>.Echo, which calls back into this grain's <see cref="WorkAsync"/>.</summary>
    Task<int> CallThroughAsync(string other);

    Task<int> EchoBackAsync(string caller);

    Task<int> SlowAsync(TimeSpan delay);
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _value;

    public CounterGrain(TestLog log)
    {
        log.Add($"activate {Key}");
    }

    public async ValueTask<int> AddAsync(int delta)
    {
        // Read, yield, write: lost updates would show if two turns ever overlapped.
        var seen = _value;
        await Task.Yield();
        _value = seen + delta;
        return _value;
    }

    public ValueTask<int> PeekAsync(int unused) => ValueTask.FromResult(_value);
}

public sealed class ProbeGrain(TestLog log) : Grain, IProbeGrain
{
    private TaskCompletionSource _gate = new();

    public async Task<int> WorkAsync(string label)
    {
        log.Add($"{Key} enter {label}");
        if (label.StartsWith("gated", StringComparison.Ordinal))
        {
            await _gate.Task;
        }
        else
        {
            await Task.Yield();
        }

        log.Add($"{Key} exit {label}");
        return log.Count;
    }

    public Task<int> InterleavedWorkAsync(string label) => WorkAsync(label);

    public ValueTask OpenGateAsync(int unused)
    {
        _gate.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public ValueTask OpenGateInterleavedAsync(int unused) => OpenGateAsync(unused);

    public Task<int> CallThroughAsync(string other) => GrainFactory.GetGrain<IProbeGrain>(other).EchoBackAsync(Key);

    public Task<int> EchoBackAsync(string caller) => GrainFactory.GetGrain<IProbeGrain>(caller).WorkAsync("echo");

    public async Task<int> SlowAsync(TimeSpan delay)
    {
        await Task.Delay(delay, Time);
        return 1;
    }
}

internal sealed class CounterGrainReference(GrainReference reference) : ICounterGrain
{
    private static readonly CallDescriptor s_add = CallDescriptor.For<ICounterGrain>(nameof(ICounterGrain.AddAsync));
    private static readonly CallDescriptor s_peek = CallDescriptor.For<ICounterGrain>(nameof(ICounterGrain.PeekAsync));

    public ValueTask<int> AddAsync(int delta) => reference.InvokeAsync(s_add, delta, static (ICounterGrain g, int d) => g.AddAsync(d));

    public ValueTask<int> PeekAsync(int unused) => reference.InvokeAsync(s_peek, unused, static (ICounterGrain g, int u) => g.PeekAsync(u));
}

internal sealed class ProbeGrainReference(GrainReference reference) : IProbeGrain
{
    private static readonly CallDescriptor s_work = CallDescriptor.For<IProbeGrain>(nameof(IProbeGrain.WorkAsync));
    private static readonly CallDescriptor s_interleaved = CallDescriptor.For<IProbeGrain>(nameof(IProbeGrain.InterleavedWorkAsync));
    private static readonly CallDescriptor s_open = CallDescriptor.For<IProbeGrain>(nameof(IProbeGrain.OpenGateAsync));
    private static readonly CallDescriptor s_openInterleaved = CallDescriptor.For<IProbeGrain>(nameof(IProbeGrain.OpenGateInterleavedAsync));
    private static readonly CallDescriptor s_through = CallDescriptor.For<IProbeGrain>(nameof(IProbeGrain.CallThroughAsync));
    private static readonly CallDescriptor s_echo = CallDescriptor.For<IProbeGrain>(nameof(IProbeGrain.EchoBackAsync));
    private static readonly CallDescriptor s_slow = CallDescriptor.For<IProbeGrain>(nameof(IProbeGrain.SlowAsync));

    public Task<int> WorkAsync(string label) => reference.InvokeAsync(s_work, label, static (IProbeGrain g, string l) => g.WorkAsync(l));

    public Task<int> InterleavedWorkAsync(string label) => reference.InvokeAsync(s_interleaved, label, static (IProbeGrain g, string l) => g.InterleavedWorkAsync(l));

    public ValueTask OpenGateAsync(int unused) => reference.InvokeAsync(s_open, unused, static (IProbeGrain g, int u) => g.OpenGateAsync(u));

    public ValueTask OpenGateInterleavedAsync(int unused) => reference.InvokeAsync(s_openInterleaved, unused, static (IProbeGrain g, int u) => g.OpenGateInterleavedAsync(u));

    public Task<int> CallThroughAsync(string other) => reference.InvokeAsync(s_through, other, static (IProbeGrain g, string o) => g.CallThroughAsync(o));

    public Task<int> EchoBackAsync(string caller) => reference.InvokeAsync(s_echo, caller, static (IProbeGrain g, string c) => g.EchoBackAsync(c));

    public Task<int> SlowAsync(TimeSpan delay) => reference.InvokeAsync(s_slow, delay, static (IProbeGrain g, TimeSpan d) => g.SlowAsync(d));
}

/// <summary>A thread-safe event log shared by test grains.</summary>
public sealed class TestLog
{
    private readonly List<string> _entries = [];

    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_entries)
        {
            return _entries.ToArray();
        }
    }
}

internal static class TestSilos
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static SiloBuilder Builder(TestLog log) => new SiloBuilder()
        .AddGrain<ICounterGrain, CounterGrain>("counter", () => new CounterGrain(log), r => new CounterGrainReference(r))
        .AddGrain<IProbeGrain, ProbeGrain>("probe", () => new ProbeGrain(log), r => new ProbeGrainReference(r));

    public static Silo Deterministic(TestLog log, Action<SiloOptions>? configure = null) =>
        Builder(log).Configure(configure ?? (_ => { })).UseDeterministicScheduler(Epoch).Build();
}
