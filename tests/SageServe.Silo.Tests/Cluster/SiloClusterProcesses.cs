using System.Net;
using System.Text.Json;
using SageServe.Silo.Tests.Api;

namespace SageServe.Silo.Tests.Cluster;

/// <summary>N real <c>sageserve silo</c> processes forming one cluster on loopback, with membership and state in one Azurite.</summary>
internal sealed class SiloClusterProcesses : IAsyncDisposable
{
    public const string ApiKey = "cluster-test-key";

    private readonly string _workDir;

    private SiloClusterProcesses(string workDir, string clusterId)
    {
        _workDir = workDir;
        ClusterId = clusterId;
        Http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public string ClusterId { get; }

    public List<(SiloProcess Process, Uri Api, string Region)> Silos { get; } = [];

    public HttpClient Http { get; }

    /// <summary>Starts one silo per region, in order (so the first is the oldest: the singleton owner), and waits until all see each other.</summary>
    /// <param name="connectionString">The Azurite connection string.</param>
    /// <param name="regions">One silo per region, started in this order.</param>
    /// <param name="instancesPerModel">Simulated instances per (region, model): the fleet must be able to serve the test's load in real time.</param>
    public static async Task<SiloClusterProcesses> StartAsync(string connectionString, IReadOnlyList<string> regions, int instancesPerModel = 2)
    {
        var clusterId = "t" + Guid.NewGuid().ToString("N")[..12];
        var workDir = Path.Combine(Path.GetTempPath(), "sageserve-cluster-" + clusterId);
        Directory.CreateDirectory(workDir);
        var cluster = new SiloClusterProcesses(workDir, clusterId);
        var environment = new Dictionary<string, string>
        {
            ["SAGESERVE_CLUSTERSTORAGE"] = connectionString,
            ["SAGESERVE_INSTANCESPERMODEL"] = instancesPerModel.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var region in regions)
        {
            var dataDir = Path.Combine(workDir, region);
            var (process, api) = await SiloProcess.StartAsync(
                workDir, environment,
                "--port", "0", "--silo-port", "0", "--region", region, "--cluster-id", clusterId, "--data-dir", dataDir,
                "--protocols", "Http2", "--api-key", ApiKey);
            cluster.Silos.Add((process, api, region));
        }

        await cluster.WaitUntilAsync(
            async () => (await Task.WhenAll(cluster.Silos.Select(s => cluster.MembershipAsync(s.Api)))).All(m => m is { } v && v.ActiveCount == regions.Count && v.CanAct),
            TimeSpan.FromSeconds(30), "every silo sees all silos active");
        return cluster;
    }

    /// <summary>A silo's view (<c>GET /v1/cluster/membership</c>), or null when it does not answer.</summary>
    public async Task<MembershipView?> MembershipAsync(Uri api)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(api, "v1/cluster/membership"));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = json.RootElement;
            var members = root.GetProperty("members").EnumerateArray()
                .Select(m => (Address: m.GetProperty("address").GetString()!, Status: m.GetProperty("status").GetString()!))
                .ToList();
            return new MembershipView(
                root.GetProperty("self").GetString()!,
                root.GetProperty("canAct").GetBoolean(),
                members,
                root.GetProperty("plannerActiveHere").GetBoolean());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The grains activated on a silo (<c>GET /v1/cluster/activations</c>).</summary>
    public async Task<IReadOnlyList<string>> ActivationsAsync(Uri api)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync(new Uri(api, "v1/cluster/activations")));
        return [.. json.RootElement.GetProperty("grains").EnumerateArray().Select(g => g.GetString()!)];
    }

    /// <summary>Polls <paramref name="condition"/> (every 100 ms, bounded by <paramref name="timeout"/>); real processes, so there is no virtual clock to drive.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting until {what}. Silo logs:\n{Logs()}");
            }

            await timer.WaitForNextTickAsync();
        }
    }

    public string Logs() => string.Join("\n", Silos.Select(s => $"--- {s.Region} ({s.Api}) stdout:\n{s.Process.Stdout}\n--- stderr:\n{s.Process.Stderr}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _, _) in Silos)
        {
            await process.DisposeAsync();
        }

        Http.Dispose();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // A silo still closing a file: leave the temp directory.
        }
    }
}

/// <summary>One silo's membership view.</summary>
internal sealed record MembershipView(string Self, bool CanAct, List<(string Address, string Status)> Members, bool PlannerActiveHere)
{
    public int ActiveCount => Members.Count(m => m.Status == "Active");

    public string? StatusOf(string address) => Members.FirstOrDefault(m => m.Address == address).Status;
}
