using System.Net;
using System.Text;
using SageServe.Runtime.Storage;
using SageServe.Runtime.Storage.Azure;
using SageServe.Runtime.Tests.Azurite;
using Xunit.Abstractions;

namespace SageServe.Runtime.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobRestClientTests : IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly ITestOutputHelper _output;
    private readonly string _container = "client-" + Guid.NewGuid().ToString("N")[..12];
    private AzureBlobRestClient? _client;

    public AzureBlobRestClientTests(AzuriteFixture azurite, ITestOutputHelper output)
    {
        _azurite = azurite;
        _output = output;
    }

    public void Dispose() => _client?.Dispose();

    [SkippableFact]
    public async Task ListBlobsPageAsync_SmallPageSize_FollowsContinuationMarkers()
    {
        var client = await ClientWithContainerAsync();
        var expected = Enumerable.Range(0, 7).Select(i => $"p/item-{i:D2}").ToList();
        foreach (var name in expected.Concat(["q/other", "p", "pp/x"]))
        {
            await client.PutBlockBlobAsync(_container, name, Encoding.UTF8.GetBytes(name), BlobCondition.None);
        }

        var pageSizes = new List<int>();
        var names = new List<string>();
        string? marker = null;
        do
        {
            var page = await client.ListBlobsPageAsync(_container, "p/", marker, maxResults: 3);
            pageSizes.Add(page.Items.Count);
            names.AddRange(page.Items.Select(i => i.Name));
            marker = page.NextMarker;
        }
        while (marker is not null);

        _output.WriteLine($"Azurite started in {_azurite.StartupTime.TotalMilliseconds:F0} ms");
        Assert.Equal([3, 3, 1], pageSizes);
        Assert.Equal(expected, names);
        Assert.Equal(expected, await client.ListBlobsAsync(_container, "p/", pageSize: 2).Select(i => i.Name).ToListAsync());
        Assert.Equal(10, await client.ListBlobsAsync(_container, null).CountAsync());
    }

    [SkippableFact]
    public async Task GetBlobAsync_WrongAccountKey_Throws403NamingTheBlob()
    {
        _azurite.RequireAvailable(_output);
        var wrongKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 64).ToArray());
        using var client = AzureBlobRestClient.FromConnectionString(
            $"AccountName=devstoreaccount1;AccountKey={wrongKey};BlobEndpoint={_azurite.BlobEndpoint}");

        var ex = await Assert.ThrowsAsync<AzureBlobRequestException>(() => client.GetBlobAsync(_container, "some/blob"));

        _output.WriteLine(ex.Message);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.False(string.IsNullOrEmpty(ex.ErrorCode));
        Assert.Equal("some/blob", ex.BlobName);
        Assert.Contains("some/blob", ex.Message, StringComparison.Ordinal);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PutBlockBlobAsync_NamesWithSpacesAndUnicode_RoundTripAndList()
    {
        var client = await ClientWithContainerAsync();
        string[] names = ["dir with space/file", "ключ/日本語", "plus+percent%hash#q?", "a/b/c"];

        foreach (var name in names)
        {
            await client.PutBlockBlobAsync(_container, name, Encoding.UTF8.GetBytes("v:" + name), BlobCondition.NotExists);
        }

        foreach (var name in names)
        {
            var blob = await client.GetBlobAsync(_container, name);
            Assert.Equal("v:" + name, Encoding.UTF8.GetString(blob!.Content));
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), await client.ListBlobsAsync(_container, null).Select(b => b.Name).ToListAsync());
    }

    [SkippableFact]
    public async Task PutBlockBlobAsync_IfNotExistsOnExistingBlob_ThrowsInconsistentStateWithServiceError()
    {
        var client = await ClientWithContainerAsync();
        await client.PutBlockBlobAsync(_container, "x", new byte[] { 1 }, BlobCondition.NotExists);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => client.PutBlockBlobAsync(_container, "x", new byte[] { 2 }, BlobCondition.NotExists));

        var cause = Assert.IsType<AzureBlobRequestException>(ex.InnerException);
        Assert.Contains(cause.StatusCode, new HttpStatusCode?[] { HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed });
        Assert.Equal("x", cause.BlobName);
    }

    [SkippableFact]
    public async Task DeleteBlobAsync_MissingBlob_ReturnsFalse_AndGetReturnsNull()
    {
        var client = await ClientWithContainerAsync();

        Assert.False(await client.DeleteBlobAsync(_container, "missing", BlobCondition.None));
        Assert.Null(await client.GetBlobAsync(_container, "missing"));
        Assert.Null(await client.GetBlobETagAsync(_container, "missing"));
    }

    [SkippableFact]
    public async Task CreateContainerIfNotExistsAsync_Twice_Succeeds()
    {
        var client = await ClientWithContainerAsync();

        await client.CreateContainerIfNotExistsAsync(_container);

        Assert.True(await client.DeleteContainerIfExistsAsync(_container));
        Assert.False(await client.DeleteContainerIfExistsAsync(_container));
    }

    private async Task<AzureBlobRestClient> ClientWithContainerAsync()
    {
        _azurite.RequireAvailable(_output);
        _client ??= AzureBlobRestClient.FromConnectionString(_azurite.ConnectionString);
        await _client.CreateContainerIfNotExistsAsync(_container);
        return _client;
    }
}
