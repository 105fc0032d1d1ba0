using System.CommandLine;
using System.Net;
using SageServe.Client;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Commands;

/// <summary><c>sageserve bench route</c>: route calls per second and latency through <see cref="SageServeClient"/> to one silo on loopback.</summary>
internal static class BenchRouteCommand
{
    /// <summary>Target of the issue: ≥ 20,000 calls/s with p99 &lt; 5 ms on a 2-core machine.</summary>
    private const double TargetCallsPerSecond = 20_000;

    private static readonly TimeSpan s_targetP99 = TimeSpan.FromMilliseconds(5);

    public static Command Create()
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Measure a running silo at this URL instead of starting one in this process." };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per run (after 1 s of warm-up).", DefaultValueFactory = _ => 10 };
        var concurrency = new Option<int>("--concurrency") { Description = "Callers in closed loops.", DefaultValueFactory = _ => 16 };
        var runs = new Option<int>("--runs") { Description = "Runs (the best and the median are reported).", DefaultValueFactory = _ => 3 };
        var http2 = new Option<bool>("--http2") { Description = "Cleartext HTTP/2 (prior knowledge) instead of HTTP/1.1; an in-process silo then listens HTTP/2 only." };
        var command = new Command("route", "Route calls/s and p50/p99 latency through the client to one silo on loopback (target ≥ 20,000/s, p99 < 5 ms).")
        {
            endpoint, seconds, concurrency, runs, http2,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var duration = parse.GetValue(seconds);
            var callers = parse.GetValue(concurrency);
            var count = parse.GetValue(runs);
            if (duration is < 1 or > 600 || callers is < 1 or > 1024 || count is < 1 or > 20)
            {
                Console.Error.WriteLine("sageserve bench route: need 1 ≤ --seconds ≤ 600, 1 ≤ --concurrency ≤ 1024, 1 ≤ --runs ≤ 20.");
                return 2;
            }

            var useHttp2 = parse.GetValue(http2);
            Uri target;
            SiloHost? host = null;
            var dataDir = Path.Combine(Path.GetTempPath(), "sageserve-bench-" + Guid.NewGuid().ToString("N"));
            if (parse.GetValue(endpoint) is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out target!) || target.Scheme is not ("http" or "https"))
                {
                    Console.Error.WriteLine($"sageserve bench route: --endpoint '{url}' is not an http(s) URL.");
                    return 2;
                }
            }
            else
            {
                // As `sageserve silo` does: Kestrel, grain turns and workers share the pool; raise its floor.
                ThreadPool.GetMinThreads(out var workers, out var io);
                ThreadPool.SetMinThreads(Math.Max(workers, 8 * Environment.ProcessorCount), Math.Max(io, 8 * Environment.ProcessorCount));
                host = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = dataDir, Protocols = useHttp2 ? "Http2" : "Http1AndHttp2", PlannerAtStart = false }, cancellationToken: cancellationToken);
                target = host.BaseAddress;
            }

            try
            {
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, EnableMultipleHttp2Connections = true });
                var client = new SageServeClient(http, new SageServeClientOptions
                {
                    Endpoints = [target],
                    HttpVersion = useHttp2 ? HttpVersion.Version20 : HttpVersion.Version11,
                });
                Console.WriteLine($"# route benchmark: {target} ({(host is null ? "external silo" : "silo in this process")}), {(useHttp2 ? "HTTP/2" : "HTTP/1.1")}, {callers} callers, {count} × {duration:F0} s, {Environment.ProcessorCount} cores");
                var results = new List<RouteBenchmark.Result>();
                for (var i = 0; i < count; i++)
                {
                    var result = await RouteBenchmark.RunAsync(client, callers, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(duration));
                    results.Add(result);
                    Console.WriteLine($"run {i + 1}: {result}");
                }

                var best = results.MaxBy(r => r.CallsPerSecond)!;
                var median = results.OrderBy(r => r.CallsPerSecond).ElementAt(results.Count / 2);
                var met = best.CallsPerSecond >= TargetCallsPerSecond && best.P99 < s_targetP99;
                Console.WriteLine($"best:   {best.CallsPerSecond:N0} calls/s, p50 {best.P50.TotalMilliseconds:F2} ms, p99 {best.P99.TotalMilliseconds:F2} ms");
                Console.WriteLine($"median: {median.CallsPerSecond:N0} calls/s, p50 {median.P50.TotalMilliseconds:F2} ms, p99 {median.P99.TotalMilliseconds:F2} ms");
                Console.WriteLine($"target ≥ {TargetCallsPerSecond:N0} calls/s with p99 < {s_targetP99.TotalMilliseconds:F0} ms: {(met ? "met" : "NOT met")} (best run; errors: {results.Sum(r => r.Errors)})");
                return results.Sum(r => r.Errors) == 0 ? 0 : 1;
            }
            finally
            {
                if (host is not null)
                {
                    await host.DisposeAsync();
                    try
                    {
                        Directory.Delete(dataDir, recursive: true);
                    }
                    catch (IOException)
                    {
                        // Best effort: a temp directory.
                    }
                }
            }
        });
        return command;
    }
}
