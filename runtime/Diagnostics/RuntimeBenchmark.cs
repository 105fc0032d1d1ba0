using System.Diagnostics;
using SageServe.Runtime.Hosting;

namespace SageServe.Runtime.Diagnostics;

/// <summary>
/// Measures in-process grain calls: throughput and allocations per call to an already-active grain with a small
/// payload, under the deterministic and the live scheduler. Used by <c>sageserve bench runtime</c>.
/// </summary>
public static class RuntimeBenchmark
{
    /// <summary>One measured scenario.</summary>
    /// <param name="Scenario">What was measured.</param>
    /// <param name="Calls">Calls completed.</param>
    /// <param name="Elapsed">Wall time.</param>
    /// <param name="AllocatedBytes">Bytes allocated by the process during the run.</param>
    public sealed record Result(string Scenario, long Calls, TimeSpan Elapsed, long AllocatedBytes)
    {
        /// <summary>Calls per second of wall time.</summary>
        public double CallsPerSecond => Calls / Elapsed.TotalSeconds;

        /// <summary>Bytes allocated per call.</summary>
        public double BytesPerCall => (double)AllocatedBytes / Calls;
    }

    /// <summary>Runs every scenario with <paramref name="calls"/> calls each (after a warm-up).</summary>
    public static IReadOnlyList<Result> Run(long calls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1000);
        return
        [
            Deterministic(calls, outstanding: 1),
            Deterministic(calls, outstanding: 64),
            Live(calls, callers: 1),
            Live(calls, callers: Environment.ProcessorCount * 4),
        ];
    }

    private static Silo BuildSilo(bool deterministic)
    {
        var builder = new SiloBuilder()
            .AddGrain<IEchoGrain, EchoGrain>("echo", () => new EchoGrain(), r => new EchoGrainReference(r))
            .Configure(o => o.CollectionAge = Timeout.InfiniteTimeSpan);
        return (deterministic ? builder.UseDeterministicScheduler(DateTimeOffset.UnixEpoch) : builder.UseLiveScheduler()).Build();
    }

    /// <summary>The deterministic scenario alone: <paramref name="calls"/> calls, <paramref name="outstanding"/> in flight, after a warm-up.</summary>
    public static Result Deterministic(long calls, int outstanding)
    {
        var silo = BuildSilo(deterministic: true);
        var echo = silo.GrainFactory.GetGrain<IEchoGrain>("bench");
        var sim = silo.Simulation!;
        sim.Run(() => Drive(echo, 10_000, outstanding));

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        sim.Run(() => Drive(echo, calls, outstanding));
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new Result($"deterministic, {outstanding} outstanding", calls, watch.Elapsed, allocated);
    }

    private static Result Live(long calls, int callers)
    {
        var silo = BuildSilo(deterministic: false);
        var echoes = Enumerable.Range(0, callers).Select(i => silo.GrainFactory.GetGrain<IEchoGrain>($"bench-{i}")).ToArray();
        RunLive(echoes, 10_000);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        RunLive(echoes, calls);
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Result($"live, {callers} concurrent caller(s)", calls, watch.Elapsed, allocated);
    }

    private static void RunLive(IEchoGrain[] echoes, long calls)
    {
        var perCaller = calls / echoes.Length;
        var tasks = echoes.Select(e => Task.Run(() => Drive(e, perCaller, outstanding: 1))).ToArray();
        Task.WhenAll(tasks).GetAwaiter().GetResult();
    }

    private static async Task Drive(IEchoGrain echo, long calls, int outstanding)
    {
        if (outstanding == 1)
        {
            for (var i = 0L; i < calls; i++)
            {
                await echo.EchoAsync(i);
            }

            return;
        }

        var window = new ValueTask<long>[outstanding];
        for (var i = 0L; i < calls; i += outstanding)
        {
            var n = (int)Math.Min(outstanding, calls - i);
            for (var k = 0; k < n; k++)
            {
                window[k] = echo.EchoAsync(i + k);
            }

            for (var k = 0; k < n; k++)
            {
                await window[k];
            }
        }
    }
}

/// <summary>The benchmark's grain: returns its argument.</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="value"/>.</summary>
    ValueTask<long> EchoAsync(long value);
}

internal sealed class EchoGrain : Grain, IEchoGrain
{
    public ValueTask<long> EchoAsync(long value) => ValueTask.FromResult(value);
}

internal sealed class EchoGrainReference(GrainReference reference) : IEchoGrain
{
    private static readonly CallDescriptor s_echo = CallDescriptor.For<IEchoGrain>(nameof(IEchoGrain.EchoAsync));

    public ValueTask<long> EchoAsync(long value) => reference.InvokeAsync(s_echo, value, static (IEchoGrain g, long v) => g.EchoAsync(v));
}
