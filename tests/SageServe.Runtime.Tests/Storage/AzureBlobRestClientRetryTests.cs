using System.Net;
using SageServe.Runtime.Storage;
using SageServe.Runtime.Storage.Azure;

namespace SageServe.Runtime.Tests.Storage;

public sealed class AzureBlobRestClientRetryTests
{
    private static readonly DateTimeOffset s_now = new(2022, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public async Task PutBlockBlobAsync_Two503sThenCreated_RetriesWithExponentialBackoffAndSucceeds()
    {
        await using var server = new ScriptedHttpServer([new(503, "ServerBusy"), new(503, "ServerBusy"), new(201, ETag: "\"0xE1\"")], new(500));
        var clock = new RecordingTimeProvider(s_now);
        using var client = CreateClient(server.BlobEndpoint, clock, maxRetries: 4);

        var etag = await client.PutBlockBlobAsync("c1c", "a/b", new byte[] { 1, 2 }, BlobCondition.NotExists);

        Assert.Equal("\"0xE1\"", etag);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], clock.TimerDueTimes);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("PUT", r.Method);
            Assert.Equal("/devstoreaccount1/c1c/a/b", r.Path);
            Assert.StartsWith("SharedKey devstoreaccount1:", r.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Equal("Fri, 04 Mar 2022 05:06:07 GMT", r.Headers["x-ms-date"]);
            Assert.Equal("*", r.Headers["If-None-Match"]);
            Assert.Equal("BlockBlob", r.Headers["x-ms-blob-type"]);
        });
    }

    [Theory]
    [InlineData(412, "ConditionNotMet")]
    [InlineData(409, "BlobAlreadyExists")]
    public async Task PutBlockBlobAsync_ConditionFailure_NotRetriedAndThrowsInconsistentState(int status, string errorCode)
    {
        await using var server = new ScriptedHttpServer([], new(status, errorCode));
        using var client = CreateClient(server.BlobEndpoint, new RecordingTimeProvider(s_now), maxRetries: 4);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => client.PutBlockBlobAsync("c1c", "blob", new byte[] { 1 }, BlobCondition.Matches("\"0x1\"")));

        Assert.Single(server.Requests);
        Assert.Equal("\"0x1\"", ex.ExpectedEtag);
        var cause = Assert.IsType<AzureBlobRequestException>(ex.InnerException);
        Assert.Equal((HttpStatusCode)status, cause.StatusCode);
        Assert.Equal(errorCode, cause.ErrorCode);
    }

    [Fact]
    public async Task GetBlobAsync_Always500_GivesUpAfterBoundedAttemptsWithClearError()
    {
        await using var server = new ScriptedHttpServer([new(408)], new(500, "InternalError"));
        var clock = new RecordingTimeProvider(s_now);
        using var client = CreateClient(server.BlobEndpoint, clock, maxRetries: 3);

        var ex = await Assert.ThrowsAsync<AzureBlobRequestException>(() => client.GetBlobAsync("c1c", "state/t/k"));

        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("InternalError", ex.ErrorCode);
        Assert.Equal("state/t/k", ex.BlobName);
        Assert.Contains("state/t/k", ex.Message, StringComparison.Ordinal);
        Assert.Contains("500", ex.Message, StringComparison.Ordinal);

        // 200 ms doubling, capped at 500 ms by RetryMaxDelay.
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(500)], clock.TimerDueTimes);
    }

    [Fact]
    public async Task GetBlobAsync_NothingListening_RetriesThenThrowsWithoutStatus()
    {
        var clock = new RecordingTimeProvider(s_now);
        using var client = CreateClient(new Uri($"http://127.0.0.1:{ScriptedHttpServer.FreePort()}/devstoreaccount1"), clock, maxRetries: 2);

        var ex = await Assert.ThrowsAsync<AzureBlobRequestException>(() => client.GetBlobAsync("c1c", "k"));

        Assert.Null(ex.StatusCode);
        Assert.Equal("k", ex.BlobName);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(2, clock.TimerDueTimes.Count);
    }

    [Fact]
    public async Task DeleteBlobAsync_IfMatch_SendsHeaderAndMapsPreconditionFailure()
    {
        await using var server = new ScriptedHttpServer([], new(412, "ConditionNotMet"));
        using var client = CreateClient(server.BlobEndpoint, new RecordingTimeProvider(s_now), maxRetries: 2);

        await Assert.ThrowsAsync<InconsistentStateException>(() => client.DeleteBlobAsync("c1c", "k", BlobCondition.Matches("\"0x9\"")));

        var request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("\"0x9\"", request.Headers["If-Match"]);
    }

    [Fact]
    public async Task GetBlobAsync_CallerCancelled_ThrowsOperationCanceledWithoutRetrying()
    {
        await using var server = new ScriptedHttpServer([], new(503));
        var clock = new RecordingTimeProvider(s_now);
        using var client = CreateClient(server.BlobEndpoint, clock, maxRetries: 4);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetBlobAsync("c1c", "k", cancelled.Token));

        Assert.Empty(server.Requests);
        Assert.Empty(clock.TimerDueTimes);
    }

    private static AzureBlobRestClient CreateClient(Uri endpoint, TimeProvider clock, int maxRetries) =>
        new(
            AzureStorageConnectionString.Parse(AzureStorageConnectionString.ForAzurite(endpoint)),
            new AzureBlobRestClientOptions { MaxRetryAttempts = maxRetries, RetryMaxDelay = TimeSpan.FromMilliseconds(500) },
            clock);

    /// <summary>A fixed clock whose timers fire at once but remember the delay they were asked for.</summary>
    private sealed class RecordingTimeProvider(DateTimeOffset now) : TimeProvider
    {
        private readonly List<TimeSpan> _dueTimes = [];

        public IReadOnlyList<TimeSpan> TimerDueTimes
        {
            get
            {
                lock (_dueTimes)
                {
                    return [.. _dueTimes];
                }
            }
        }

        public override DateTimeOffset GetUtcNow() => now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_dueTimes)
            {
                _dueTimes.Add(dueTime);
            }

            return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }
}
