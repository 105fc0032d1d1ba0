using System.Buffers.Binary;
using System.Globalization;

namespace SageServe.Runtime.Storage;

/// <summary>
/// An <see cref="IGrainStorage"/> that keeps one file per (state name, grain id) under a root directory:
/// <c>{root}/{state}/{grain type}/{grain key}.state</c>, each segment escaped by <see cref="StorageNameEscaper"/>.
/// </summary>
/// <remarks>
/// <para>Every write goes to a temporary file in the same directory, is flushed to disk, then renamed over the
/// record, so a reader sees either the old or the new record in full, never a torn one.</para>
/// <para>The file carries a small header (magic, version, kind, length) before the data; the ETag is the version
/// in decimal. Clearing a record writes a tombstone that keeps the version, so versions of one key only ever grow
/// and an ETag from before a clear can never match a record created after it.</para>
/// <para>Limits: writers inside one process are serialised per key (striped async locks), so the compare-and-swap
/// is exact in-process. Two processes sharing a root are <b>not</b> coordinated: both may pass the ETag check and the
/// later rename wins. Use one process per root (or a store with server-side conditions, such as Azure Blob).
/// Tombstones and temporary files left by a crash are not collected. The directory entry is not fsynced after the
/// rename, so a power loss right after a write may roll the record back to its previous version (never tear it).
/// On case-insensitive file systems keys differing only in letter case share a file.</para>
/// </remarks>
public sealed class FileGrainStorage : IGrainStorage
{
    private const int HeaderLength = 8 + 8 + 1 + 8;
    private const byte KindData = 0;
    private const byte KindTombstone = 1;
    private const int LockStripes = 64;
    private static readonly byte[] s_magic = "SGSTATE1"u8.ToArray();

    private readonly string _root;
    private readonly SemaphoreSlim[] _locks;

    /// <summary>Creates a store rooted at <paramref name="rootDirectory"/> (created if missing).</summary>
    public FileGrainStorage(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(_root);
        _locks = new SemaphoreSlim[LockStripes];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new SemaphoreSlim(1, 1);
        }
    }

    /// <summary>The absolute root directory.</summary>
    public string RootDirectory => _root;

    /// <summary>The file that holds (or would hold) the record; exposed so tools and tests can inspect it.</summary>
    public string GetRecordPath(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainId.Type);
        ArgumentNullException.ThrowIfNull(grainId.Key);
        return Path.Combine(
            _root,
            StorageNameEscaper.EscapeSegment(stateName),
            StorageNameEscaper.EscapeSegment(grainId.Type),
            StorageNameEscaper.EscapeSegment(grainId.Key) + ".state");
    }

    /// <inheritdoc />
    public async ValueTask<StoredState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        var path = GetRecordPath(stateName, grainId);
        var record = await ReadRecordAsync(path, includeData: true, cancellationToken).ConfigureAwait(false);
        return record is { IsTombstone: false } ? new StoredState(record.Data, FormatEtag(record.Version)) : null;
    }

    /// <inheritdoc />
    public async ValueTask<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var path = GetRecordPath(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await ReadRecordAsync(path, includeData: false, cancellationToken).ConfigureAwait(false);
            EnsureEtagMatches(stateName, grainId, path, current, expectedEtag);
            var version = (current?.Version ?? 0) + 1;
            await ReplaceAsync(path, version, KindData, data, cancellationToken).ConfigureAwait(false);
            return FormatEtag(version);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask ClearAsync(string stateName, GrainId grainId, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var path = GetRecordPath(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await ReadRecordAsync(path, includeData: false, cancellationToken).ConfigureAwait(false);
            EnsureEtagMatches(stateName, grainId, path, current, expectedEtag);
            if (current is { IsTombstone: false })
            {
                await ReplaceAsync(path, current.Version + 1, KindTombstone, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static void EnsureEtagMatches(string stateName, GrainId grainId, string path, Record? current, string? expectedEtag)
    {
        var storedEtag = current is { IsTombstone: false } ? FormatEtag(current.Version) : null;
        if (!string.Equals(storedEtag, expectedEtag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of grain {grainId} ({path}): stored ETag is {MemoryGrainStorage.Describe(storedEtag)} but the writer expected {MemoryGrainStorage.Describe(expectedEtag)}.",
                storedEtag,
                expectedEtag);
        }
    }

    private SemaphoreSlim LockFor(string path) =>
        _locks[(StringComparer.Ordinal.GetHashCode(path) & int.MaxValue) % LockStripes];

    private static async Task ReplaceAsync(string path, long version, byte kind, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Escaped names never contain '.', so a temp name cannot collide with another key's record.
        var temp = $"{path}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        var header = new byte[HeaderLength];
        s_magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), version);
        header[16] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(17), data.Length);
        try
        {
            var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp file is harmless and documented.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task<Record?> ReadRecordAsync(string path, bool includeData, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            var header = new byte[HeaderLength];
            await ReadExactlyOrThrowAsync(stream, header, path, cancellationToken).ConfigureAwait(false);
            if (!header.AsSpan(0, 8).SequenceEqual(s_magic))
            {
                throw new InvalidDataException($"{path}: not a grain state file (bad magic).");
            }

            var version = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
            var kind = header[16];
            var length = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(17));
            if (kind is not (KindData or KindTombstone) || version <= 0 || length < 0 || length > int.MaxValue
                || length != stream.Length - HeaderLength)
            {
                throw new InvalidDataException(
                    $"{path}: corrupt grain state header (version {version}, kind {kind}, length {length}, file size {stream.Length}).");
            }

            var data = Array.Empty<byte>();
            if (includeData && length > 0)
            {
                data = new byte[length];
                await ReadExactlyOrThrowAsync(stream, data, path, cancellationToken).ConfigureAwait(false);
            }

            return new Record(version, kind == KindTombstone, data);
        }
    }

    private static async Task ReadExactlyOrThrowAsync(FileStream stream, byte[] buffer, string path, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{path}: grain state file is truncated.", ex);
        }
    }

    private sealed record Record(long Version, bool IsTombstone, byte[] Data);
}
