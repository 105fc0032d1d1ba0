using SageServe.Runtime.Hosting;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace SageServe.Runtime.Execution;

/// <summary>
/// A pooled grain call: carries the argument and the method, runs as a turn on the target, and is the awaitable the
/// caller holds (<see cref="IValueTaskSource{TResult}"/>), so a call to an active grain allocates nothing.
/// </summary>
/// <remarks>
/// Two parties hold it: the caller (until it reads the result) and the execution (until the turn ends). It returns to
/// the pool when both let go. The caller is completed at most once: by the result, an error, or the deadline.
/// </remarks>
internal sealed class CallRequest<TGrain, TArg, TResult> : Request, ITrackedCall, IValueTaskSource<TResult>, IValueTaskSource
{
    private static readonly Action<object?> s_completedSentinel = static _ => { };
    private static readonly Lock s_poolLock = new();
    private static readonly Stack<CallRequest<TGrain, TArg, TResult>> s_pool = new();
    private const int MaxPooled = 1024;

    private readonly Action _onPendingCompleted;
    private readonly Action<object?> _finishOnContext;
    private Func<TGrain, TArg, ValueTask<TResult>>? _method;
    private Func<TGrain, TArg, ValueTask>? _voidMethod;
    private TArg _arg = default!;
    private ValueTask<TResult> _pending;
    private ValueTask _pendingVoid;
    private TResult _result = default!;
    private ExceptionDispatchInfo? _error;
    private int _claimed;
    private bool _inlineWithoutContext;
    private volatile bool _done;
    private int _refs;
    private Action<object?>? _continuation;
    private object? _continuationState;
    private SynchronizationContext? _continuationContext;
    private ExecutionContext? _continuationExecutionContext;

    private CallRequest()
    {
        _onPendingCompleted = OnPendingCompleted;
        _finishOnContext = static s => ((CallRequest<TGrain, TArg, TResult>)s!).FinishExecution();
    }

    /// <inheritdoc />
    public long DeadlineTicks { get; set; }

    /// <inheritdoc />
    public ITrackedCall? PreviousTracked { get; set; }

    /// <inheritdoc />
    public ITrackedCall? NextTracked { get; set; }

    /// <inheritdoc />
    public bool IsTracked { get; set; }

    private short Token => unchecked((short)Version);

    public static CallRequest<TGrain, TArg, TResult> Rent(
        CallDescriptor descriptor,
        TArg arg,
        Func<TGrain, TArg, ValueTask<TResult>>? method,
        Func<TGrain, TArg, ValueTask>? voidMethod)
    {
        CallRequest<TGrain, TArg, TResult>? request;
        lock (s_poolLock)
        {
            s_pool.TryPop(out request);
        }

        request ??= new CallRequest<TGrain, TArg, TResult>();
        request.Descriptor = descriptor;
        request._arg = arg;
        request._method = method;
        request._voidMethod = voidMethod;
        request._refs = 2;
        return request;
    }

    public ValueTask<TResult> AsValueTask() => new(this, Token);

    public ValueTask AsVoidValueTask() => new(this, Token);

    internal override void Execute(Grain grain)
    {
        try
        {
            if (_voidMethod is not null)
            {
                var vt = _voidMethod((TGrain)(object)grain, _arg);
                if (!vt.IsCompleted)
                {
                    _pendingVoid = vt;
                    // Resume on the activation's context (captured here): with any other choice .NET would hop to the thread pool.
                    vt.GetAwaiter().UnsafeOnCompleted(_onPendingCompleted);
                    return;
                }

                vt.GetAwaiter().GetResult();
                CompleteCaller(default!, null);
            }
            else
            {
                var vt = _method!((TGrain)(object)grain, _arg);
                if (!vt.IsCompleted)
                {
                    _pending = vt;
                    // Resume on the activation's context (captured here): with any other choice .NET would hop to the thread pool.
                    vt.GetAwaiter().UnsafeOnCompleted(_onPendingCompleted);
                    return;
                }

                CompleteCaller(vt.GetAwaiter().GetResult(), null);
            }
        }
        catch (Exception e)
        {
            CompleteCaller(default!, e);
        }

        FinishExecution();
    }

    private void OnPendingCompleted()
    {
        try
        {
            if (_voidMethod is not null)
            {
                var vt = _pendingVoid;
                _pendingVoid = default;
                vt.GetAwaiter().GetResult();
                CompleteCaller(default!, null);
            }
            else
            {
                var vt = _pending;
                _pending = default;
                CompleteCaller(vt.GetAwaiter().GetResult(), null);
            }
        }
        catch (Exception e)
        {
            CompleteCaller(default!, e);
        }

        // The turn's bookkeeping belongs to the activation's own context.
        if (ReferenceEquals(SynchronizationContext.Current, Target))
        {
            FinishExecution();
        }
        else
        {
            Target.Enqueue(_finishOnContext, this);
        }
    }

    private void FinishExecution()
    {
        var target = Target;
        if (_error?.SourceException is Storage.InconsistentStateException)
        {
            target.OnStaleState();
        }

        target.OnRequestFinished(this);
        Release();
    }

    internal override void Reject(Exception error)
    {
        CompleteCaller(default!, error);
        Release();
    }

    /// <inheritdoc />
    public void Expire() => CompleteCaller(default!, new GrainCallTimeoutException(
        $"{Descriptor.Name} on {Target.Id} did not complete by its deadline ({new DateTimeOffset(DeadlineTicks, TimeSpan.Zero):O}); its outcome is unknown."));

    /// <summary>Completes the caller once; later completions (a late result after a timeout) are dropped.</summary>
    private void CompleteCaller(TResult result, Exception? error)
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return;
        }

        Target?.Runtime.Calls.Untrack(this);
        _result = result;
        _error = error is null ? null : ExceptionDispatchInfo.Capture(error);
        _done = true;
        _inlineWithoutContext = Target?.Runtime.Executor is Scheduling.DeterministicScheduler;
        var continuation = Interlocked.Exchange(ref _continuation, s_completedSentinel);
        if (continuation is not null)
        {
            InvokeContinuation(continuation);
        }
    }

    private void InvokeContinuation(Action<object?> continuation)
    {
        var state = _continuationState;
        var context = _continuationContext;
        var executionContext = _continuationExecutionContext;
        if (executionContext is not null)
        {
            continuation = FlowingContext(continuation, executionContext);
        }

        if (context is Scheduling.WorkQueue queue)
        {
            queue.Enqueue(continuation, state);
        }
        else if (context is not null)
        {
            context.Post(static s => ((Tuple<Action<object?>, object?>)s!).Item1(((Tuple<Action<object?>, object?>)s).Item2), Tuple.Create(continuation, state));
        }
        else if (_inlineWithoutContext)
        {
            // Deterministic mode: an awaiter with no context (e.g. AsTask) just completes a task; run it on this thread.
            continuation(state);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: true);
        }
    }

    /// <summary>
    /// Rare path (an awaiter that asked for execution-context flow): correct rather than allocation-free. A method of
    /// its own so the hot path does not allocate the closure.
    /// </summary>
    private static Action<object?> FlowingContext(Action<object?> continuation, ExecutionContext executionContext) =>
        s => ExecutionContext.Run(executionContext, static c => ((Action)c!)(), new Action(() => continuation(s)));

    public ValueTaskSourceStatus GetStatus(short token)
    {
        CheckToken(token);
        return !_done ? ValueTaskSourceStatus.Pending
            : _error is null ? ValueTaskSourceStatus.Succeeded
            : ValueTaskSourceStatus.Faulted;
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        CheckToken(token);
        _continuationState = state;
        _continuationContext = (flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0 ? SynchronizationContext.Current : null;
        _continuationExecutionContext = (flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0 ? ExecutionContext.Capture() : null;
        if (Interlocked.CompareExchange(ref _continuation, continuation, null) is not null)
        {
            // Completed between the caller's status check and now: run it as if it had been registered in time.
            InvokeContinuation(continuation);
        }
    }

    public TResult GetResult(short token)
    {
        CheckToken(token);
        if (!_done)
        {
            throw new InvalidOperationException("The grain call has not completed; await it instead of reading the result.");
        }

        var result = _result;
        var error = _error;
        Release();
        error?.Throw();
        return result;
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    private void CheckToken(short token)
    {
        if (token != Token)
        {
            throw new InvalidOperationException("A grain call's ValueTask was awaited twice or after it was consumed.");
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _refs) != 0)
        {
            return;
        }

        Version++;
        Target = null!;
        Parent = null;
        Descriptor = null!;
        _arg = default!;
        _method = null;
        _voidMethod = null;
        _result = default!;
        _error = null;
        _claimed = 0;
        _done = false;
        _continuation = null;
        _continuationState = null;
        _continuationContext = null;
        _continuationExecutionContext = null;
        lock (s_poolLock)
        {
            if (s_pool.Count < MaxPooled)
            {
                s_pool.Push(this);
            }
        }
    }
}
