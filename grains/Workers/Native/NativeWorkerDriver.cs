using SageServe.Grains.Domain;

namespace SageServe.Grains.Workers.Native;

/// <summary>
/// A worker backed by a real <see cref="NativeEngine"/>, run in real time: its latency is the CPU time the engine's
/// steps actually take (a small random-weight model on this machine's cores), not a GPU's.
/// </summary>
/// <remarks>
/// <para>Admission matches <c>SimulatedWorker</c>: <see cref="TrySubmit"/> refuses only a request that could never fit
/// (more KV pages than the engine has, or an empty prompt/output); a request that does not fit <em>now</em> waits in the
/// driver (interactive before non-interactive, first come first served) and is admitted to the engine when
/// completions free its pages. The engine reserves prompt + output pages up front, so nothing is preempted.</para>
/// <para>Time: the grain calls <see cref="AdvanceTo"/> on its turns. While there is work, each call runs engine steps
/// for a wall-time budget — the gap since the engine last ran, clamped to
/// [<see cref="NativeWorkerDriverOptions.MinSlice"/>, <see cref="NativeWorkerDriverOptions.MaxSlice"/>], at least one
/// step — measuring each step with the <see cref="TimeProvider"/>'s timestamp. A step that ends <c>t</c> after the call
/// began is stamped <c>now + t</c>; prefill ends give <see cref="WorkerCompletion.FirstTokenAt"/>. Between calls the
/// engine is idle, so under a backlog it runs with a duty cycle below one (the gaps are scheduling delay).
/// <see cref="NextEventAt"/> is one measured mean step after the last step while work remains.</para>
/// <para>Not thread-safe (the grain calls it only inside its own turns). Disposing destroys the engine: the owner —
/// <see cref="NativeWorkerDriverFactory"/> at shutdown, or an instance grain on deactivation — must dispose it.</para>
/// </remarks>
public sealed class NativeWorkerDriver : IWorkerDriver, IDisposable
{
    private const double StepEwmaWeight = 0.2;

    private readonly NativeEngine _engine;
    private readonly NativeWorkerDriverOptions _options;
    private readonly TimeProvider _time;
    private readonly long _totalPages;
    private readonly int _pageSize;
    private readonly Queue<Entry> _waitingInteractive = new();
    private readonly Queue<Entry> _waitingBatch = new();
    private readonly Dictionary<ulong, Entry> _admitted = [];
    private readonly Queue<ulong> _awaitingPrefill = new();
    private readonly ulong[] _completedIds = new ulong[256];
    private ulong _nextEngineId;
    private long _pendingTokens;
    private double _meanStepSeconds;
    private DateTimeOffset _clock = DateTimeOffset.MinValue;

    /// <summary>Creates the engine (loads the "model") and an idle worker on it.</summary>
    /// <param name="options">Engine shape and time slicing.</param>
    /// <param name="time">Source of step timestamps (<see cref="TimeProvider.System"/> live).</param>
    /// <exception cref="DllNotFoundException">The native library is missing; the message says how to build it.</exception>
    public NativeWorkerDriver(NativeWorkerDriverOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSlice, options.MinSlice);
        _options = options;
        _time = time;
        _engine = NativeEngine.Create(options.Engine);
        var stats = _engine.GetStats();
        _totalPages = stats.TotalPages;
        _pageSize = stats.PageSize;
        _meanStepSeconds = Math.Max(1e-6, options.InitialStepEstimate.TotalSeconds);
    }

    /// <summary>The engine (for diagnostics).</summary>
    public NativeEngine Engine => _engine;

    /// <summary>Exponentially weighted mean of measured step times.</summary>
    public TimeSpan MeanStepTime => TimeSpan.FromSeconds(_meanStepSeconds);

    /// <summary>KV-cache tokens the engine holds (whole pages).</summary>
    public long KvCapacityTokens => _totalPages * _pageSize;

    /// <inheritdoc />
    public DateTimeOffset? NextEventAt => HasWork ? _clock + MeanStepTime : null;

    /// <inheritdoc />
    public InstanceLoad Load
    {
        get
        {
            var stats = _engine.GetStats();
            return new InstanceLoad(
                stats.Running,
                stats.Queued + _waitingInteractive.Count + _waitingBatch.Count,
                (stats.TotalPages - stats.FreePages) * stats.PageSize,
                stats.TotalPages * stats.PageSize,
                _pendingTokens);
        }
    }

    private bool HasWork => _admitted.Count > 0 || _waitingInteractive.Count > 0 || _waitingBatch.Count > 0;

    /// <inheritdoc />
    public bool TrySubmit(InferenceRequest request, DateTimeOffset now, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PromptTokens < 1 || request.OutputTokens < 1)
        {
            reason = $"needs at least one prompt and one output token (got {request.PromptTokens} and {request.OutputTokens})";
            return false;
        }

        var pages = _engine.PagesNeeded(request.PromptTokens, request.OutputTokens);
        if (pages > _totalPages)
        {
            reason = $"KV cache full: needs {pages} pages ({(long)request.PromptTokens + request.OutputTokens} tokens); the native engine holds {_totalPages} pages ({KvCapacityTokens} tokens)";
            return false;
        }

        if (!HasWork)
        {
            // The engine was idle: its clock restarts here.
            _clock = Max(_clock, now);
        }

        reason = null;
        _pendingTokens += (long)request.PromptTokens + request.OutputTokens;
        (request.Tier == Tier.Interactive ? _waitingInteractive : _waitingBatch).Enqueue(new Entry(request, now));
        AdmitWaiting();
        return true;
    }

    /// <inheritdoc />
    public void AdvanceTo(DateTimeOffset now, ICollection<WorkerCompletion> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (!HasWork)
        {
            _clock = Max(_clock, now);
            return;
        }

        var start = Max(_clock, now);
        var budget = Clamp(now - _clock, _options.MinSlice, _options.MaxSlice);
        var began = _time.GetTimestamp();
        var elapsed = TimeSpan.Zero;
        do
        {
            AdmitWaiting();
            if (_admitted.Count == 0)
            {
                // Only waiting requests that cannot be admitted: impossible, as each fits an empty engine.
                break;
            }

            var result = _engine.Step();
            var total = _time.GetElapsedTime(began);
            var stepSeconds = Math.Max(1e-7, (total - elapsed).TotalSeconds);
            elapsed = total;
            _meanStepSeconds += StepEwmaWeight * (stepSeconds - _meanStepSeconds);
            var stepEnd = start + elapsed;
            for (var i = 0; i < result.Prefilled && _awaitingPrefill.TryDequeue(out var prefilledId); i++)
            {
                _admitted[prefilledId].FirstTokenAt = stepEnd;
            }

            if (result.Completed > 0)
            {
                Collect(stepEnd, completed);
            }
        }
        while (HasWork && elapsed < budget);

        _clock = start + elapsed;
        AdmitWaiting();
    }

    /// <inheritdoc />
    public IReadOnlyList<InferenceRequest> Abort()
    {
        var lost = new List<InferenceRequest>(_admitted.Count + _waitingInteractive.Count + _waitingBatch.Count);
        foreach (var (id, entry) in _admitted.OrderBy(p => p.Key))
        {
            _engine.Release(id);
            lost.Add(entry.Request);
        }

        lost.AddRange(_waitingInteractive.Select(e => e.Request));
        lost.AddRange(_waitingBatch.Select(e => e.Request));
        _admitted.Clear();
        _awaitingPrefill.Clear();
        _waitingInteractive.Clear();
        _waitingBatch.Clear();
        _pendingTokens = 0;
        return lost;
    }

    /// <summary>Destroys the engine (unloads the model). Idempotent; the driver is unusable afterwards.</summary>
    public void Dispose() => _engine.Dispose();

    private void AdmitWaiting()
    {
        while (true)
        {
            var queue = _waitingInteractive.Count > 0 ? _waitingInteractive : _waitingBatch;
            if (!queue.TryPeek(out var head))
            {
                return;
            }

            var id = ++_nextEngineId;
            if (!_engine.TryAdmit(id, head.Request.PromptTokens, head.Request.OutputTokens))
            {
                // Head of line waits for pages; nothing behind it may overtake (as in SimulatedWorker).
                return;
            }

            queue.Dequeue();
            _admitted[id] = head;
            _awaitingPrefill.Enqueue(id);
        }
    }

    private void Collect(DateTimeOffset at, ICollection<WorkerCompletion> completed)
    {
        int count;
        do
        {
            count = _engine.TakeCompleted(_completedIds);
            for (var i = 0; i < count; i++)
            {
                if (_admitted.Remove(_completedIds[i], out var entry))
                {
                    _pendingTokens -= (long)entry.Request.PromptTokens + entry.Request.OutputTokens;
                    completed.Add(new WorkerCompletion(entry.Request, entry.SubmittedAt, entry.FirstTokenAt ?? at, at));
                }
            }
        }
        while (count == _completedIds.Length);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;

    private sealed class Entry(InferenceRequest request, DateTimeOffset submittedAt)
    {
        public InferenceRequest Request { get; } = request;

        public DateTimeOffset SubmittedAt { get; } = submittedAt;

        public DateTimeOffset? FirstTokenAt { get; set; }
    }
}
