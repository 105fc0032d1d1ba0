using System.Globalization;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Tests.Storage;

public sealed class MemoryGrainStorageTests : GrainStorageContractTests
{
    private readonly MemoryGrainStorage _storage = new();

    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(_storage);

    [Fact]
    public async Task WriteAsync_SuccessiveWritesAcrossKeys_EtagsIncreaseMonotonically()
    {
        var etags = new List<long>();
        var etag = await _storage.WriteAsync("s", new GrainId("t", "a"), new byte[] { 1 }, null);
        etags.Add(long.Parse(etag, CultureInfo.InvariantCulture));
        etags.Add(long.Parse(await _storage.WriteAsync("s", new GrainId("t", "b"), new byte[] { 2 }, null), CultureInfo.InvariantCulture));
        etag = await _storage.WriteAsync("s", new GrainId("t", "a"), new byte[] { 3 }, etag);
        etags.Add(long.Parse(etag, CultureInfo.InvariantCulture));
        await _storage.ClearAsync("s", new GrainId("t", "a"), etag);
        etags.Add(long.Parse(await _storage.WriteAsync("s", new GrainId("t", "a"), new byte[] { 4 }, null), CultureInfo.InvariantCulture));

        Assert.Equal(etags.Order(), etags);
        Assert.Equal(etags.Count, etags.Distinct().Count());
        Assert.Equal(2, _storage.Count);
    }
}
