using System.Runtime.InteropServices;
using System.Text;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IGrainStorage"/> must show. A provider's test class derives from this and supplies
/// the store; each test uses its own state name so tests may share one backing store.
/// </summary>
public abstract class GrainStorageContractTests
{
    private const int RaceWriters = 16;
    private const int RaceRounds = 8;
    private static readonly GrainId s_grain = new("counter", "a");

    /// <summary>A state name unique to this test instance.</summary>
    protected string StateName { get; } = "state-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Creates (or returns) the store under test.</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    [SkippableFact]
    public async Task ReadAsync_MissingRecord_ReturnsNull()
    {
        var storage = await CreateStorageAsync();

        Assert.Null(await storage.ReadAsync(StateName, s_grain));
    }

    [SkippableFact]
    public async Task WriteAsync_CreateWithNullEtag_ReadReturnsDataAndEtag()
    {
        var storage = await CreateStorageAsync();

        var etag = await storage.WriteAsync(StateName, s_grain, Bytes("one"), expectedEtag: null);

        Assert.False(string.IsNullOrEmpty(etag));
        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.NotNull(read);
        Assert.Equal("one", Text(read.Data));
        Assert.Equal(etag, read.Etag);
    }

    [SkippableFact]
    public async Task WriteAsync_CreateTwiceWithNullEtag_ThrowsAndKeepsFirst()
    {
        var storage = await CreateStorageAsync();
        var etag = await storage.WriteAsync(StateName, s_grain, Bytes("first"), null);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(async () => await storage.WriteAsync(StateName, s_grain, Bytes("second"), null));

        Assert.Null(ex.ExpectedEtag);
        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.Equal("first", Text(read!.Data));
        Assert.Equal(etag, read.Etag);
    }

    [SkippableFact]
    public async Task WriteAsync_UpdateWithCurrentEtag_ReturnsDifferentEtag()
    {
        var storage = await CreateStorageAsync();
        var first = await storage.WriteAsync(StateName, s_grain, Bytes("v1"), null);

        var second = await storage.WriteAsync(StateName, s_grain, Bytes("v2"), first);

        Assert.NotEqual(first, second);
        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.Equal("v2", Text(read!.Data));
        Assert.Equal(second, read.Etag);
    }

    [SkippableFact]
    public async Task WriteAsync_UpdateWithStaleEtag_ThrowsAndKeepsData()
    {
        var storage = await CreateStorageAsync();
        var stale = await storage.WriteAsync(StateName, s_grain, Bytes("v1"), null);
        var current = await storage.WriteAsync(StateName, s_grain, Bytes("v2"), stale);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(async () => await storage.WriteAsync(StateName, s_grain, Bytes("v3"), stale));

        Assert.Equal(stale, ex.ExpectedEtag);
        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.Equal("v2", Text(read!.Data));
        Assert.Equal(current, read.Etag);
    }

    [SkippableFact]
    public async Task WriteAsync_UpdateOfMissingRecord_Throws()
    {
        var storage = await CreateStorageAsync();
        var etag = await storage.WriteAsync(StateName, new GrainId("counter", "other"), Bytes("x"), null);

        await Assert.ThrowsAsync<InconsistentStateException>(async () => await storage.WriteAsync(StateName, s_grain, Bytes("v"), etag));

        Assert.Null(await storage.ReadAsync(StateName, s_grain));
    }

    [SkippableFact]
    public async Task ClearAsync_WithCurrentEtag_ReadReturnsNull()
    {
        var storage = await CreateStorageAsync();
        var etag = await storage.WriteAsync(StateName, s_grain, Bytes("v1"), null);

        await storage.ClearAsync(StateName, s_grain, etag);

        Assert.Null(await storage.ReadAsync(StateName, s_grain));
    }

    [SkippableFact]
    public async Task ClearAsync_WithStaleEtag_ThrowsAndKeepsRecord()
    {
        var storage = await CreateStorageAsync();
        var stale = await storage.WriteAsync(StateName, s_grain, Bytes("v1"), null);
        var current = await storage.WriteAsync(StateName, s_grain, Bytes("v2"), stale);

        await Assert.ThrowsAsync<InconsistentStateException>(async () => await storage.ClearAsync(StateName, s_grain, stale));

        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.Equal("v2", Text(read!.Data));
        Assert.Equal(current, read.Etag);
    }

    [SkippableFact]
    public async Task ClearAsync_MissingRecordWithNullEtag_IsNoOp()
    {
        var storage = await CreateStorageAsync();

        await storage.ClearAsync(StateName, s_grain, null);

        Assert.Null(await storage.ReadAsync(StateName, s_grain));
    }

    [SkippableFact]
    public async Task ClearAsync_ExistingRecordWithNullEtag_Throws()
    {
        var storage = await CreateStorageAsync();
        await storage.WriteAsync(StateName, s_grain, Bytes("v1"), null);

        await Assert.ThrowsAsync<InconsistentStateException>(async () => await storage.ClearAsync(StateName, s_grain, null));

        Assert.NotNull(await storage.ReadAsync(StateName, s_grain));
    }

    [SkippableFact]
    public async Task ClearAsync_MissingRecordWithEtag_Throws()
    {
        var storage = await CreateStorageAsync();
        var etag = await storage.WriteAsync(StateName, s_grain, Bytes("v1"), null);
        await storage.ClearAsync(StateName, s_grain, etag);

        await Assert.ThrowsAsync<InconsistentStateException>(async () => await storage.ClearAsync(StateName, s_grain, etag));
    }

    [SkippableFact]
    public async Task WriteAsync_EtagFromBeforeClear_DoesNotMatchRecreatedRecord()
    {
        var storage = await CreateStorageAsync();
        var old = await storage.WriteAsync(StateName, s_grain, Bytes("v1"), null);
        await storage.ClearAsync(StateName, s_grain, old);

        var recreated = await storage.WriteAsync(StateName, s_grain, Bytes("again"), null);

        Assert.NotEqual(old, recreated);
        await Assert.ThrowsAsync<InconsistentStateException>(async () => await storage.WriteAsync(StateName, s_grain, Bytes("stale"), old));
        Assert.Equal("again", Text((await storage.ReadAsync(StateName, s_grain))!.Data));
    }

    [SkippableFact]
    public async Task WriteAsync_KeysWithSpecialCharacters_AreIsolated()
    {
        var storage = await CreateStorageAsync();
        string[] keys =
        [
            "a", "A", "a/b", "a\\b", "a b", " a", "a ", "..", ".", "../a", "../../etc/passwd", "a/../b", "/", "//",
            "", "~", "~2F", "a~2Fb", "a%2Fb", "%", "ключ", "日本語", "emoji-😀", "a:b", "a*b?", "con", "nul.txt",
            "tab\there", "new\nline", new string('k', 300), new string('k', 301),
        ];
        var grains = keys.Select(k => new GrainId("counter", k)).Append(new GrainId("a/b", "c")).Append(new GrainId("a", "b/c")).ToList();

        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            await storage.WriteAsync(StateName, grain, Bytes($"value-{i}"), null);
        }

        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            var read = await storage.ReadAsync(StateName, grain);
            Assert.True(read is not null, $"key {i} ('{grain}') was not found");
            Assert.Equal($"value-{i}", Text(read.Data));
        }
    }

    [SkippableFact]
    public async Task WriteAsync_DifferentStateNames_AreIsolated()
    {
        var storage = await CreateStorageAsync();
        var other = StateName + "-other";
        var etag = await storage.WriteAsync(StateName, s_grain, Bytes("mine"), null);

        var otherEtag = await storage.WriteAsync(other, s_grain, Bytes("theirs"), null);
        await storage.ClearAsync(other, s_grain, otherEtag);

        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.Equal("mine", Text(read!.Data));
        Assert.Equal(etag, read.Etag);
        Assert.Null(await storage.ReadAsync(other, s_grain));
        Assert.Null(await storage.ReadAsync(StateName, new GrainId("other-type", s_grain.Key)));
    }

    [SkippableFact]
    public async Task WriteAsync_ConcurrentUpdatesWithSameEtag_ExactlyOneWins()
    {
        var storage = await CreateStorageAsync();
        var etag = await storage.WriteAsync(StateName, s_grain, Bytes("base"), null);

        // Several rounds, because one round of a broken compare-and-swap can still happen to serialise.
        for (var round = 0; round < RaceRounds; round++)
        {
            var (winners, losers) = await RaceAsync(RaceWriters, i => storage.WriteAsync(StateName, s_grain, Bytes($"writer-{round}-{i}"), etag));

            var winner = Assert.Single(winners);
            Assert.Equal(RaceWriters - 1, losers);
            var read = await storage.ReadAsync(StateName, s_grain);
            Assert.Equal($"writer-{round}-{winner.Index}", Text(read!.Data));
            Assert.Equal(winner.Etag, read.Etag);
            etag = winner.Etag;
        }
    }

    [SkippableFact]
    public async Task WriteAsync_ConcurrentCreates_ExactlyOneWins()
    {
        var storage = await CreateStorageAsync();

        for (var round = 0; round < RaceRounds; round++)
        {
            var grain = new GrainId("counter", $"create-race-{round}");
            var (winners, losers) = await RaceAsync(RaceWriters, i => storage.WriteAsync(StateName, grain, Bytes($"creator-{i}"), null));

            var winner = Assert.Single(winners);
            Assert.Equal(RaceWriters - 1, losers);
            Assert.Equal($"creator-{winner.Index}", Text((await storage.ReadAsync(StateName, grain))!.Data));
        }
    }

    [SkippableFact]
    public async Task WriteAsync_OneMebibytePayload_RoundTrips()
    {
        var storage = await CreateStorageAsync();
        var payload = new byte[1024 * 1024];
        new Random(42).NextBytes(payload);

        var etag = await storage.WriteAsync(StateName, s_grain, payload, null);

        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.Equal(etag, read!.Etag);
        Assert.True(payload.AsSpan().SequenceEqual(read.Data.Span), "1 MiB payload changed on the round trip");
    }

    [SkippableFact]
    public async Task WriteAsync_EmptyPayload_RoundTrips()
    {
        var storage = await CreateStorageAsync();

        await storage.WriteAsync(StateName, s_grain, ReadOnlyMemory<byte>.Empty, null);

        var read = await storage.ReadAsync(StateName, s_grain);
        Assert.NotNull(read);
        Assert.Equal(0, read.Data.Length);
    }

    [SkippableFact]
    public async Task WriteAsync_CallerMutatesBuffers_StoredDataUnchanged()
    {
        var storage = await CreateStorageAsync();
        var buffer = Encoding.UTF8.GetBytes("original");
        await storage.WriteAsync(StateName, s_grain, buffer, null);

        buffer[0] = (byte)'X';
        var first = await storage.ReadAsync(StateName, s_grain);
        if (MemoryMarshal.TryGetArray(first!.Data, out var segment))
        {
            segment.Array![segment.Offset] = (byte)'Y';
        }

        Assert.Equal("original", Text((await storage.ReadAsync(StateName, s_grain))!.Data));
    }

    private static async Task<(List<(int Index, string Etag)> Winners, int Losers)> RaceAsync(int writers, Func<int, ValueTask<string>> write)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                return (Index: i, Etag: (string?)await write(i));
            }
            catch (InconsistentStateException)
            {
                return (Index: i, Etag: null);
            }
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);
        var winners = results.Where(r => r.Etag is not null).Select(r => (r.Index, r.Etag!)).ToList();
        return (winners, results.Count(r => r.Etag is null));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);
}
