using System.Text;

namespace SageServe.Silo.Hosting;

/// <summary>
/// An append-only list of accepted NIW job ids (<c>niw-jobs.journal</c> in the data dir), written and flushed to disk
/// before the job's record, so a restarted silo finds every job that may still need serving. The job grains' records
/// stay the truth; an id here whose record never got written is simply skipped on recovery.
/// </summary>
public sealed class NiwJournal
{
    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Uses <c>niw-jobs.journal</c> under <paramref name="dataDir"/>.</summary>
    public NiwJournal(string dataDir)
    {
        _path = Path.Combine(dataDir, "niw-jobs.journal");
    }

    /// <summary>The journal file.</summary>
    public string FilePath => _path;

    /// <summary>Appends <paramref name="jobId"/> and flushes it to disk.</summary>
    public async Task AppendAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var line = Encoding.UTF8.GetBytes(jobId + "\n");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The distinct job ids, oldest first (none when there is no journal).</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(_path, cancellationToken).ConfigureAwait(false);

        // A crash mid-append can leave a torn last line; ids are validated again by the API's rules before use.
        return [.. lines.Where(l => l.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Replaces the journal with <paramref name="jobIds"/> (written to a temp file, then renamed over it).</summary>
    public async Task RewriteAsync(IEnumerable<string> jobIds, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var temp = _path + ".tmp";
            await File.WriteAllTextAsync(temp, string.Concat(jobIds.Select(id => id + "\n")), cancellationToken).ConfigureAwait(false);
            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }
}
