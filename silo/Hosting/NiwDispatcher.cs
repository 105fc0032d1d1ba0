using System.Threading.Channels;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Moves accepted non-interactive jobs along outside the HTTP request: dispatches them to an instance, and records
/// completions the request observer reports (the observer runs inside grain turns and must not call grains).
/// </summary>
public sealed class NiwDispatcher : IAsyncDisposable
{
    private readonly Channel<(string JobId, Work Kind, NiwFinish Finish)> _work =
        Channel.CreateUnbounded<(string, Work, NiwFinish)>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Func<string, INiwJobGrain> _grain;
    private readonly Func<long> _nextRequestId;
    private readonly Action<string, Exception> _onError;
    private readonly Task[] _workers;

    /// <summary>Starts <paramref name="concurrency"/> workers.</summary>
    public NiwDispatcher(Func<string, INiwJobGrain> grain, Func<long> nextRequestId, Action<string, Exception> onError, int concurrency = 4)
    {
        _grain = grain;
        _nextRequestId = nextRequestId;
        _onError = onError;
        _workers = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(RunAsync))];
    }

    private enum Work
    {
        Dispatch,
        Finish,
    }

    /// <summary>Jobs waiting to be dispatched or finished.</summary>
    public int Backlog => _work.Reader.Count;

    /// <summary>Schedules routing of an accepted job.</summary>
    public void EnqueueDispatch(string jobId) => _work.Writer.TryWrite((jobId, Work.Dispatch, default));

    /// <summary>
    /// A job's request finished (<paramref name="rejection"/> null) or was refused, on whichever silo served it; safe
    /// to call inside a grain turn. The job grain ignores reports once the job is final.
    /// </summary>
    public void OnJobRequestFinished(string jobId, string? rejection, string? instance = null) =>
        _work.Writer.TryWrite((jobId, Work.Finish, new NiwFinish(rejection, instance)));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task RetryFinishLaterAsync(string jobId, NiwFinish finish)
    {
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        _work.Writer.TryWrite((jobId, Work.Finish, finish));
    }

    private async Task RunAsync()
    {
        await foreach (var (jobId, kind, finish) in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var grain = _grain(jobId);
                _ = kind == Work.Dispatch
                    ? await grain.DispatchAsync(_nextRequestId()).ConfigureAwait(false)
                    : await grain.FinishAsync(finish).ConfigureAwait(false);
            }
            catch (Exception e) when (kind == Work.Finish && e is SageServe.Runtime.SiloUnavailableException or SageServe.Runtime.GrainCallTimeoutException && !_work.Reader.Completion.IsCompleted)
            {
                // The job grain is moving between silos: a finish must not be lost (nothing else would report it),
                // and FinishAsync ignores repeats once the job is final, so try again shortly.
                _onError(jobId, e);
                _ = RetryFinishLaterAsync(jobId, finish);
            }
            catch (Exception e)
            {
                _onError(jobId, e);
            }
        }
    }
}
