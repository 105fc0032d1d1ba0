using SageServe.Runtime.Storage;
using SageServe.Runtime.Storage.Azure;
using SageServe.Runtime.Tests.Azurite;
using Xunit.Abstractions;

namespace SageServe.Runtime.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobGrainStorageTests : GrainStorageContractTests, IDisposable
{
    private const string Container = "contract-tests";
    private readonly AzuriteFixture _azurite;
    private readonly ITestOutputHelper _output;
    private AzureBlobRestClient? _client;

    public AzureBlobGrainStorageTests(AzuriteFixture azurite, ITestOutputHelper output)
    {
        _azurite = azurite;
        _output = output;
    }

    public void Dispose() => _client?.Dispose();

    protected override Task<IGrainStorage> CreateStorageAsync()
    {
        _azurite.RequireAvailable(_output);
        _client ??= AzureBlobRestClient.FromConnectionString(_azurite.ConnectionString);
        return Task.FromResult<IGrainStorage>(new AzureBlobGrainStorage(_client, Container));
    }

    [SkippableFact]
    public async Task WriteAsync_Record_StoredAsOneBlobNamedStateTypeKey()
    {
        var storage = (AzureBlobGrainStorage)await CreateStorageAsync();
        var grain = new GrainId("region/x", "west us");

        await storage.WriteAsync(StateName, grain, new byte[] { 7 }, null);

        var blob = Assert.Single(await _client!.ListBlobsAsync(Container, StateName + "/").ToListAsync());
        Assert.Equal($"{StateName}/region~2Fx/west~20us", blob.Name);
        Assert.Equal(AzureBlobGrainStorage.GetBlobName(StateName, grain), blob.Name);
        Assert.Equal(1, blob.ContentLength);
    }
}
