using System.Text;
using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Tests.Storage;

public sealed class FileGrainStorageTests : GrainStorageContractTests, IDisposable
{
    private readonly string _sandbox = Path.Combine(Path.GetTempPath(), "sageserve-filestorage-" + Guid.NewGuid().ToString("N"));
    private readonly string _root;
    private readonly FileGrainStorage _storage;

    public FileGrainStorageTests()
    {
        // The root sits one level inside a sandbox so escapes above the root would still be caught and cleaned up.
        _root = Path.Combine(_sandbox, "root");
        _storage = new FileGrainStorage(_root);
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(_storage);

    [Fact]
    public async Task WriteAsync_HostileKeys_EveryFileStaysUnderRoot()
    {
        string[] hostile = ["../x", "../../x", "..", "/etc/passwd", "a/../../b", "\\..\\x", "."];
        foreach (var key in hostile)
        {
            await _storage.WriteAsync("../state", new GrainId("../type", key), new byte[] { 1 }, null);
        }

        var outside = Directory.EnumerateFileSystemEntries(_sandbox).Where(p => p != _root).ToList();
        Assert.Empty(outside);
        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(hostile.Length, files.Count);
        Assert.All(files, f => Assert.Equal(3, Path.GetRelativePath(_root, f).Split(Path.DirectorySeparatorChar).Length));
    }

    [Fact]
    public async Task ReadAsync_NewInstanceOverSameRoot_SeesRecordAndEtag()
    {
        var grain = new GrainId("t", "k");
        var etag = await _storage.WriteAsync("s", grain, Encoding.UTF8.GetBytes("durable"), null);

        var reopened = new FileGrainStorage(_root);
        var read = await reopened.ReadAsync("s", grain);

        Assert.Equal("durable", Encoding.UTF8.GetString(read!.Data.Span));
        Assert.Equal(etag, read.Etag);
        Assert.NotEqual(etag, await reopened.WriteAsync("s", grain, new byte[] { 2 }, etag));
    }

    [Fact]
    public async Task WriteAsync_ManyWrites_LeavesNoTemporaryFiles()
    {
        var grain = new GrainId("t", "k");
        string? etag = null;
        for (var i = 0; i < 20; i++)
        {
            etag = await _storage.WriteAsync("s", grain, new byte[] { (byte)i }, etag);
        }

        var file = Assert.Single(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Equal(_storage.GetRecordPath("s", grain), file);
        Assert.EndsWith(".state", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CorruptFile_ThrowsNamingThePath()
    {
        var grain = new GrainId("t", "k");
        await _storage.WriteAsync("s", grain, new byte[] { 1, 2, 3 }, null);
        var path = _storage.GetRecordPath("s", grain);
        await File.WriteAllBytesAsync(path, Encoding.ASCII.GetBytes("not a state file at all"));

        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () => await _storage.ReadAsync("s", grain));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedFile_ThrowsNamingThePath()
    {
        var grain = new GrainId("t", "k");
        await _storage.WriteAsync("s", grain, new byte[100], null);
        var path = _storage.GetRecordPath("s", grain);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..60]);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () => await _storage.ReadAsync("s", grain));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
