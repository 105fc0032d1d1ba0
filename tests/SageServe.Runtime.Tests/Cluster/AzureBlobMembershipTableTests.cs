using System.Diagnostics;
using System.Text;
using SageServe.Runtime.Cluster;
using SageServe.Runtime.Storage.Azure;
using SageServe.Runtime.Tests.Azurite;
using Xunit.Abstractions;

namespace SageServe.Runtime.Tests.Cluster;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobMembershipTableTests : MembershipTableContractTests, IDisposable
{
    private const string Container = "membership-tests";
    private readonly AzuriteFixture _azurite;
    private readonly ITestOutputHelper _output;
    private AzureBlobRestClient? _client;

    public AzureBlobMembershipTableTests(AzuriteFixture azurite, ITestOutputHelper output)
    {
        _azurite = azurite;
        _output = output;
    }

    public void Dispose() => _client?.Dispose();

    protected override Task<IMembershipTable> CreateTableAsync() => Task.FromResult<IMembershipTable>(CreateBlobTable(out _));

    private AzureBlobMembershipTable CreateBlobTable(out string blobName)
    {
        _azurite.RequireAvailable(_output);
        _client ??= AzureBlobRestClient.FromConnectionString(_azurite.ConnectionString);
        blobName = $"membership/{Guid.NewGuid():N}.json";
        return new AzureBlobMembershipTable(_client, Container, blobName);
    }

    [SkippableFact]
    public async Task InsertAsync_FirstRow_StoresWholeTableAsOneJsonBlobWithVersion()
    {
        var table = CreateBlobTable(out var blobName);
        var silo = new SiloAddress("10.2.0.1", 11111, 42, "westus");

        await table.InsertAsync(MembershipEntry.Create(silo, SiloStatus.Joining, TestCluster.Epoch), 0);

        var blob = await _client!.GetBlobAsync(Container, blobName);
        var json = Encoding.UTF8.GetString(blob!.Content);
        Assert.StartsWith("{\"version\":1,\"entries\":[{\"address\":{\"host\":\"10.2.0.1\",\"port\":11111,\"generation\":42,\"region\":\"westus\"},\"status\":0,", json, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ReadAllAsync_CorruptBlob_ThrowsNamingTheBlob()
    {
        var table = CreateBlobTable(out var blobName);
        await table.ReadAllAsync(); // creates the container
        await _client!.PutBlockBlobAsync(Container, blobName, Encoding.UTF8.GetBytes("{\"version\": 1, \"entries\": [ }"), BlobCondition.None);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => table.ReadAllAsync());

        Assert.Contains($"{Container}/{blobName}", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task MembershipAgents_OverBlobTable_CrashedSiloDeclaredDeadAndSurvivorsAgree()
    {
        var cluster = new TestCluster(table: CreateBlobTable(out _));
        await cluster.StartAsync(3);
        var victim = TestCluster.Silo(3);

        cluster.Pause(victim);
        var took = await cluster.RunUntilAsync(
            () => cluster.Agents.Take(2).All(a => a.Snapshot.Find(victim)?.Status == SiloStatus.Dead),
            TimeSpan.FromMinutes(2));
        cluster.Resume(victim);
        await cluster.RunForAsync(TimeSpan.FromSeconds(5));

        _output.WriteLine($"declared dead after {took} of virtual time");
        Assert.NotNull(took);
        Assert.True(took <= cluster.Options.DeathTimeout + 3 * cluster.Options.HeartbeatPeriod, $"took {took}");
        Assert.Equal(cluster.Agents[0].Snapshot.Version, cluster.Agents[1].Snapshot.Version);
        Assert.True(cluster.Agent(victim).IsDeclaredDead);
        Assert.Equal(SiloStatus.Dead, await cluster.StatusInTableAsync(victim));
    }

    [SkippableFact]
    public async Task ReadAllAsync_BlobWithoutEntries_ThrowsNamingTheBlob()
    {
        var table = CreateBlobTable(out var blobName);
        await table.ReadAllAsync();
        await _client!.PutBlockBlobAsync(Container, blobName, Encoding.UTF8.GetBytes("{\"version\": 3}"), BlobCondition.None);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => table.ReadAllAsync());

        Assert.Contains($"{Container}/{blobName} lacks 'entries'", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Not a benchmark gate: records read and CAS-update latency against Azurite, with a generous ceiling.</summary>
    [SkippableFact]
    public async Task Latency_ReadAndCasUpdateAgainstAzurite_Measured()
    {
        const int rounds = 60;
        var table = CreateBlobTable(out _);
        for (var i = 1; i <= 5; i++)
        {
            await table.InsertAsync(MembershipEntry.Create(new SiloAddress($"10.3.0.{i}", 11111, i, "westus"), SiloStatus.Active, TestCluster.Epoch), i - 1);
        }

        var reads = new List<double>();
        var updates = new List<double>();
        var heartbeats = new List<double>();
        var silo = new SiloAddress("10.3.0.1", 11111, 1, "westus");
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            var snapshot = await table.ReadAllAsync();
            reads.Add(watch.Elapsed.TotalMilliseconds);

            // A versioned update is read + conditional put inside the table, as a silo's vote would be.
            watch.Restart();
            Assert.True(await table.UpdateAsync(snapshot.Find(silo)! with { IAmAliveTime = TestCluster.Epoch.AddSeconds(round) }, snapshot.Version));
            updates.Add(watch.Elapsed.TotalMilliseconds);

            watch.Restart();
            Assert.True(await table.UpdateIAmAliveAsync(silo, TestCluster.Epoch.AddSeconds(round + 0.5)));
            heartbeats.Add(watch.Elapsed.TotalMilliseconds);
        }

        _output.WriteLine($"Azurite membership blob (5 rows), {rounds} rounds, first 10 dropped as warm-up:");
        Report("read", reads);
        Report("CAS update", updates);
        Report("heartbeat", heartbeats);
        Assert.True(Percentile(reads.Skip(10).ToList(), 0.5) < 1000, "median read over 1 s: Azurite or the client is broken");
    }

    private void Report(string name, List<double> samples)
    {
        var warm = samples.Skip(10).ToList();
        var line = $"  {name,-11} p50 {Percentile(warm, 0.5):F2} ms  p95 {Percentile(warm, 0.95):F2} ms  max {warm.Max():F2} ms";
        _output.WriteLine(line);
        Console.WriteLine("[membership-latency]" + line);
    }

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }
}
