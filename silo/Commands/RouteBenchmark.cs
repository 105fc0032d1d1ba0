using System.Diagnostics;
using SageServe.Client;

namespace SageServe.Silo.Commands;

/// <summary>Route calls per second and latency percentiles through <see cref="SageServeClient"/> against live silos.</summary>
public static class RouteBenchmark
{
    /// <summary>What one run measured.</summary>
    public sealed record Result(long Calls, long Errors, TimeSpan Elapsed, TimeSpan P50, TimeSpan P99, TimeSpan Max, int Concurrency, long Rejected = 0)
    {
        /// <summary>Measured calls per second.</summary>
        public double CallsPerSecond => Calls / Elapsed.TotalSeconds;

        /// <inheritdoc />
        public override string ToString() =>
            $"{Calls:N0} route calls in {Elapsed.TotalSeconds:F1} s with {Concurrency} callers: {CallsPerSecond:N0} calls/s, " +
            $"p50 {P50.TotalMilliseconds:F2} ms, p99 {P99.TotalMilliseconds:F2} ms, max {Max.TotalMilliseconds:F1} ms, {Errors} errors, {Rejected:N0} decisions 'rejected'";
    }

    /// <summary>Runs <paramref name="concurrency"/> callers in closed loops for <paramref name="warmup"/> + <paramref name="duration"/>; measures only the latter.</summary>
    public static async Task<Result> RunAsync(SageServeClient client, int concurrency, TimeSpan warmup, TimeSpan duration, string tier = Tiers.Interactive)
    {
        string[] regions = ["westus", "centralus", "eastus"];
        string[] models = ["A", "B", "C", "D"];
        var measuring = false;
        var stop = false;
        var latencies = new List<long>[concurrency];
        var errors = 0L;
        var rejected = 0L;
        var callers = Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<long>(1 << 16);
            for (var i = c; !Volatile.Read(ref stop); i += concurrency)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var decision = await client.RouteAsync(new RouteRequest(models[i % 4], tier, regions[i % 3], 64, 8));
                    if (decision.Outcome == "rejected" && Volatile.Read(ref measuring))
                    {
                        Interlocked.Increment(ref rejected);
                    }
                }
                catch (Exception e) when (e is SageServeApiException or SageServeUnavailableException)
                {
                    Interlocked.Increment(ref errors);
                }

                if (Volatile.Read(ref measuring))
                {
                    mine.Add(Stopwatch.GetTimestamp() - started);
                }
            }
        })).ToArray();

        await Task.Delay(warmup);
        Interlocked.Exchange(ref errors, 0);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(callers);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        TimeSpan At(double q) => all.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, all[Math.Min(all.Length - 1, (int)(q * all.Length))]);
        return new Result(all.Length, Interlocked.Read(ref errors), elapsed, At(0.50), At(0.99), At(1.0), concurrency, Interlocked.Read(ref rejected));
    }
}
