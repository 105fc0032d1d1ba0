using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Commands;

/// <summary><c>sageserve silo</c>: run the live control plane (HTTP API + dashboard) on this machine.</summary>
internal static class SiloCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Listen URLs, ';'-separated (default http://127.0.0.1:5080)." };
        var port = new Option<int?>("--port") { Description = $"Port on 127.0.0.1 (default {SiloHostOptions.DefaultPort}; 0 picks a free one)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Directory for grain state (default ./sageserve-data)." };
        var apiKey = new Option<string?>("--api-key") { Description = "Key for /v1/control (header X-Api-Key); without one the control endpoints are disabled." };
        var bindAny = new Option<bool>("--bind-any") { Description = "Allow listening on every interface (0.0.0.0); off by default." };
        var protocols = new Option<string?>("--protocols") { Description = "Http1AndHttp2 (default), Http2 (cleartext h2c) or Http1." };
        var otlp = new Option<string?>("--otlp-endpoint") { Description = "Push metrics over OTLP/HTTP (JSON) to this collector, e.g. http://127.0.0.1:4318." };
        var workerKind = new Option<string?>("--workers") { Description = "simulated (default: latency-model workers in real time) or native (a libsageserve_native CPU engine per instance)." };
        var clusterStorage = new Option<string?>("--cluster-storage") { Description = "Join a cluster: Azure Storage connection string for the membership table and grain state (e.g. Azurite's UseDevelopmentStorage=true). Without it the silo runs alone with file storage. Prefer SAGESERVE_CLUSTERSTORAGE, which keeps the account key out of the process list." };
        var clusterId = new Option<string?>("--cluster-id") { Description = "Cluster name; silos with the same storage and id form one cluster (default sageserve)." };
        var siloPort = new Option<int?>("--silo-port") { Description = "Port for silo-to-silo HTTP/2 traffic in a cluster (default 11111; 0 picks a free one)." };
        var region = new Option<string?>("--region") { Description = "The region this silo runs in; that region's grains prefer it (default westus)." };
        var advertiseHost = new Option<string?>("--advertise-host") { Description = "Host name other silos use to reach this one (default 127.0.0.1)." };
        var strategy = new Option<string?>("--strategy") { Description = "Serving strategy the regions run: Reactive (default), Siloed, Chiron, LT-I, LT-U, LT-UA or SageServe+ (the last four scale to the planner's targets)." };
        var planner = new Option<string?>("--planner") { Description = "The hourly planner's formulation: ilp (default; co-optimising ILP on COIN-OR CBC) or reference." };
        var noPlanner = new Option<bool>("--no-planner") { Description = "Do not start the hourly planner with this silo (POST /v1/control/plan still plans on demand)." };
        var plannerHistory = new Option<string?>("--planner-history") { Description = "Trace of the past (SageServe CSV, Azure CSV or Mooncake JSONL) to seed the planner's history; its end is 'now'." };
        var silo = new Command("silo", "Run a live silo: control-plane grains with simulated workers in real time, the HTTP API and a dashboard; with --cluster-storage, one member of a multi-silo cluster.")
        {
            urls, port, dataDir, apiKey, bindAny, protocols, otlp, workerKind, clusterStorage, clusterId, siloPort, region, advertiseHost, strategy, planner, noPlanner, plannerHistory,
        };
        silo.SetAction(async (parse, cancellationToken) =>
        {
            var cli = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Put(cli, nameof(SiloHostOptions.Urls), parse.GetValue(urls));
            Put(cli, nameof(SiloHostOptions.Port), parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Put(cli, nameof(SiloHostOptions.DataDir), parse.GetValue(dataDir));
            Put(cli, nameof(SiloHostOptions.ApiKey), parse.GetValue(apiKey));
            Put(cli, nameof(SiloHostOptions.OtlpEndpoint), parse.GetValue(otlp));
            Put(cli, nameof(SiloHostOptions.Protocols), parse.GetValue(protocols));
            Put(cli, nameof(SiloHostOptions.BindAny), parse.GetValue(bindAny) ? "true" : null);
            Put(cli, nameof(SiloHostOptions.Workers), parse.GetValue(workerKind));
            Put(cli, nameof(SiloHostOptions.ClusterStorage), parse.GetValue(clusterStorage));
            Put(cli, nameof(SiloHostOptions.ClusterId), parse.GetValue(clusterId));
            Put(cli, nameof(SiloHostOptions.SiloPort), parse.GetValue(siloPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Put(cli, nameof(SiloHostOptions.Region), parse.GetValue(region));
            Put(cli, nameof(SiloHostOptions.AdvertiseHost), parse.GetValue(advertiseHost));
            Put(cli, nameof(SiloHostOptions.Strategy), parse.GetValue(strategy));
            Put(cli, nameof(SiloHostOptions.Planner), parse.GetValue(planner));
            Put(cli, nameof(SiloHostOptions.PlannerAtStart), parse.GetValue(noPlanner) ? "false" : null);
            Put(cli, nameof(SiloHostOptions.PlannerHistory), parse.GetValue(plannerHistory));
            var configuration = new ConfigurationBuilder()
                .SetBasePath(Directory.GetCurrentDirectory())
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables("SAGESERVE_")
                .AddInMemoryCollection(cli)
                .Build();
            // Kestrel, grain turns and simulated workers share the pool; on a small, busy machine its slow thread
            // injection shows as ~1 s stalls in route latency, so start from a higher floor.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, 8 * Environment.ProcessorCount), Math.Max(io, 8 * Environment.ProcessorCount));
            SiloHost host;
            try
            {
                var options = SiloHostOptions.From(configuration);
                host = await SiloHost.StartAsync(options, line => Console.Error.WriteLine($"sageserve silo: {line}"), cancellationToken);
                Console.WriteLine(host.Plane.Cluster is { } member
                    ? $"sageserve silo: listening on {string.Join(", ", host.Addresses)} (cluster '{options.ClusterId}', member {member.Address})"
                    : $"sageserve silo: listening on {string.Join(", ", host.Addresses)} (data in {Path.GetFullPath(options.DataDir)})");
                Console.WriteLine($"sageserve silo: dashboard {host.BaseAddress}  ·  API {host.BaseAddress}v1/route  ·  metrics {host.BaseAddress}metrics");
                Console.WriteLine($"sageserve silo: control endpoints {(options.ApiKey is null ? "disabled (no --api-key)" : "enabled")}; Ctrl-C to stop");
            }
            catch (SiloOptionException e)
            {
                Console.Error.WriteLine($"sageserve silo: {e.Message}");
                return 2;
            }

            await using (host)
            {
                try
                {
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(host.ShutdownRequested, cancellationToken);
                    await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // SIGTERM or Ctrl-C: the host's lifetime asked us to stop.
                }

                var deactivated = await host.StopAsync();
                Console.WriteLine($"sageserve silo: stopped ({deactivated} grain activations deactivated)");
                return host.ExitCode;
            }
        });
        return silo;
    }

    private static void Put(Dictionary<string, string?> values, string key, string? value)
    {
        if (value is not null)
        {
            values[key] = value;
        }
    }
}
