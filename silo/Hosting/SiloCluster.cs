using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SageServe.Runtime.Cluster;
using SageServe.Runtime.Cluster.Remoting;
using SageServe.Runtime.Storage.Azure;

namespace SageServe.Silo.Hosting;

/// <summary>
/// A silo's membership in a cluster: the silo-to-silo listener (cleartext HTTP/2 on <see cref="SiloHostOptions.SiloPort"/>),
/// the membership table and grain state in Azure Blob Storage, the membership agent (heartbeats, probes, votes) and
/// the routing that sends each grain call to its owner.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly WebApplication _listener;
    private readonly HttpSiloTransport _transport;

    private SiloCluster(WebApplication listener, HttpSiloTransport transport, AzureBlobRestClient blob, MembershipAgent agent, ClusterRouting routing, AzureBlobGrainStorage storage, DateTimeOffset epoch)
    {
        Epoch = epoch;
        _listener = listener;
        _transport = transport;
        Blob = blob;
        Agent = agent;
        Routing = routing;
        Storage = storage;
    }

    /// <summary>The blob client (shared by the table and grain storage).</summary>
    public AzureBlobRestClient Blob { get; }

    /// <summary>The membership agent.</summary>
    public MembershipAgent Agent { get; }

    /// <summary>Call routing.</summary>
    public ClusterRouting Routing { get; }

    /// <summary>Grain state (one blob per grain state).</summary>
    public AzureBlobGrainStorage Storage { get; }

    /// <summary>
    /// The cluster's epoch, the same on every silo: request arrival offsets are measured from it, so a request created
    /// on one silo and finished on another gets its latency right. Written once by the first silo ever to start.
    /// </summary>
    public DateTimeOffset Epoch { get; }

    /// <summary>This silo's identity.</summary>
    public SiloAddress Address => Agent.Address;

    /// <summary>Failure detection tuned for a LAN: 1 s heartbeats, refreshes and probes; dead after N missed probes from two silos.</summary>
    public static ClusterOptions OptionsFor(SiloHostOptions options) => new ClusterOptions
    {
        HeartbeatPeriod = TimeSpan.FromSeconds(1),
        TableRefreshPeriod = TimeSpan.FromSeconds(1),
        ProbePeriod = TimeSpan.FromSeconds(1),
        ProbeTimeout = TimeSpan.FromMilliseconds(900),
        ProbeFailuresBeforeSuspect = options.ProbeFailuresBeforeDead,
        NumVotesForDeath = 2,
        DeathTimeout = TimeSpan.FromSeconds(Math.Max(10, 4 * options.ProbeFailuresBeforeDead)),
    }.Validate();

    /// <summary>Opens the silo-to-silo listener and prepares (does not join) the membership.</summary>
    /// <exception cref="SiloOptionException">The silo port cannot be bound.</exception>
    public static async Task<SiloCluster> CreateAsync(SiloHostOptions options, string region, Action<string>? log)
    {
        ClusterRouting? routing = null;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ClusterEndpoints.MaxMessageBytes;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(options.BindAny ? IPAddress.Any : IPAddress.Loopback, options.SiloPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var listener = builder.Build();
        var clusterKey = ClusterEndpoints.DeriveClusterKey(options.ClusterId, options.ClusterStorage!);
        listener.MapSiloTransport(() => routing, clusterKey);
        try
        {
            await listener.StartAsync();
        }
        catch (IOException e)
        {
            await listener.DisposeAsync();
            throw new SiloOptionException("--silo-port", $"cannot listen on port {options.SiloPort}: {e.Message}");
        }

        var port = new Uri(listener.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        var address = new SiloAddress(options.AdvertiseHost, port, SiloAddress.GenerationAt(TimeProvider.System.GetUtcNow()), region);
        var blob = AzureBlobRestClient.FromConnectionString(options.ClusterStorage!);
        DateTimeOffset epoch;
        try
        {
            epoch = await ReadOrCreateEpochAsync(blob, $"{options.ClusterId}-membership");
        }
        catch (Exception e) when (e is AzureBlobRequestException or HttpRequestException or FormatException)
        {
            blob.Dispose();
            await listener.DisposeAsync();
            throw new SiloOptionException("--cluster-storage", $"cannot reach the cluster's storage: {e.Message}");
        }

        var table = new AzureBlobMembershipTable(blob, $"{options.ClusterId}-membership", "membership.json");
        var storage = new AzureBlobGrainStorage(blob, $"{options.ClusterId}-grains");
        var transport = new HttpSiloTransport(address.ToString(), clusterKey);
        var agent = new MembershipAgent(address, table, transport, OptionsFor(options), TimeProvider.System);
        routing = new ClusterRouting(agent, transport);
        log?.Invoke($"silo {address}: silo-to-silo HTTP/2 on port {port}, cluster '{options.ClusterId}' in {blob.AccountName}");
        return new SiloCluster(listener, transport, blob, agent, routing, storage, epoch);
    }

    private static async Task<DateTimeOffset> ReadOrCreateEpochAsync(AzureBlobRestClient blob, string container)
    {
        const string name = "epoch.txt";
        await blob.CreateContainerIfNotExistsAsync(container);
        if (await blob.GetBlobAsync(container, name) is null)
        {
            var now = TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                await blob.PutBlockBlobAsync(container, name, System.Text.Encoding.UTF8.GetBytes(now), BlobCondition.NotExists);
            }
            catch (Runtime.Storage.InconsistentStateException)
            {
                // Another silo wrote it first: read theirs.
            }
        }

        var stored = await blob.GetBlobAsync(container, name) ?? throw new AzureBlobRequestException($"blob {container}/{name} vanished after it was written");
        var text = System.Text.Encoding.UTF8.GetString(stored.Content);
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var epoch)
            ? epoch
            : throw new FormatException($"blob {container}/{name}: '{text}' is not a timestamp");
    }

    /// <summary>Joins (Joining → Active in the table) and starts heartbeats, probes and refreshes.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        await Agent.StartAsync(cancellationToken);
        Agent.StartTimer();
    }

    /// <summary>Leaves gracefully: refuse new ownership, mark the row ShuttingDown then Dead so others take over at once.</summary>
    public async Task LeaveAsync()
    {
        Routing.BeginStopping();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Agent.StopAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or AzureBlobRequestException or HttpRequestException)
        {
            // Unreachable storage: the others will declare this silo dead by probes instead.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await _listener.StopAsync();
        await _listener.DisposeAsync();
        _transport.Dispose();
        Blob.Dispose();
    }
}
