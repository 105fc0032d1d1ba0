using System.Globalization;
using System.Text;
using SageServe.Runtime;
using SageServe.Runtime.Storage.Azure;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Cluster duties of the silo that owns the singletons (the oldest active one): keeps the planner activated here, and
/// every couple of seconds lists the NIW job records in blob storage and asks each unfinished job whether it was lost
/// (its accepting, region or instance silo died) so it is re-queued. Every silo runs the loop; only the owner acts, so
/// when it dies the next oldest takes over within one period of learning about it.
/// </summary>
public sealed class NiwSweeper : IAsyncDisposable
{
    /// <summary>How often the duties run.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private readonly LiveControlPlane _plane;
    private readonly SiloCluster _cluster;
    private readonly Action<string>? _log;
    private readonly HashSet<string> _final = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private bool _wasOwner;
    private int _disposed;

    /// <summary>Creates the sweeper (not started).</summary>
    public NiwSweeper(LiveControlPlane plane, SiloCluster cluster, Action<string>? log)
    {
        _plane = plane;
        _cluster = cluster;
        _log = log;
        cluster.Routing.ViewChanged += snapshot => Task.Run(RunOnceSafelyAsync);
    }

    /// <summary>Jobs re-queued by this silo's sweeps.</summary>
    public int Requeued { get; private set; }

    /// <summary>Starts the periodic loop.</summary>
    public void Start() => _loop = LoopAsync();

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Period, TimeProvider.System);
        try
        {
            do
            {
                await RunOnceSafelyAsync().ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private readonly SemaphoreSlim _gate = new(1, 1);

    private async Task RunOnceSafelyAsync()
    {
        if (Volatile.Read(ref _disposed) != 0 || !await _gate.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            if (!_cluster.Routing.CanAct || !_plane.IsSingletonOwner)
            {
                _wasOwner = false;
                return;
            }

            if (!_wasOwner)
            {
                _log?.Invoke($"silo {_cluster.Address} now hosts the cluster singletons (planner, NIW sweep)");
                _wasOwner = true;
            }

            if (!_plane.PlannerActiveHere)
            {
                await _plane.EnsurePlannerAsync().ConfigureAwait(false);
            }

            await SweepAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            _log?.Invoke($"cluster duties: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SweepAsync()
    {
        var prefix = AzureBlobGrainStorage.GetBlobName("niw-job", new GrainId("niw-job", "x"))[..^1];
        await foreach (var blob in _cluster.Blob.ListBlobsAsync(_cluster.Storage.ContainerName, prefix, cancellationToken: _stop.Token).ConfigureAwait(false))
        {
            if (UnescapeKey(blob.Name[prefix.Length..]) is not { } jobId || _final.Contains(jobId))
            {
                continue;
            }

            // One call per unfinished job per sweep; finished ones are remembered and skipped.
            var view = await _plane.Job(jobId).ResumeIfLostAsync(0).ConfigureAwait(false);
            if (view is null)
            {
                continue;
            }

            if (NiwJobStatus.IsFinal(view.Status))
            {
                _final.Add(jobId);
            }
            else if (view.Requeued)
            {
                Requeued++;
                _log?.Invoke($"NIW job {jobId}: {view.Reason}");
            }
        }
    }

    /// <summary>Reverses <c>StorageNameEscaper.EscapeSegment</c> for keys short enough not to be hashed; null otherwise.</summary>
    public static string? UnescapeKey(string segment)
    {
        if (segment.Contains("~~", StringComparison.Ordinal) || segment == "~")
        {
            return null;
        }

        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '~')
            {
                if (i + 2 >= segment.Length || !byte.TryParse(segment.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                {
                    return null;
                }

                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)segment[i]);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
