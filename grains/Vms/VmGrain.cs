using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Regions;
using SageServe.Grains.Workers;
using SageServe.Runtime;
using SageServe.Runtime.Storage;

namespace SageServe.Grains.Vms;

/// <summary>
/// Owns the worker of the model loaded on one VM. Load creates it through <see cref="IWorkerDriverFactory"/> and tells
/// the region the instance serves; unload tells the region it does not, then drains or aborts the worker and disposes
/// it (a native engine frees its memory). Between commands it drives the worker as an instance grain would: submits
/// inside turns, wakes on a one-shot timer at the worker's next event, reports completions to the region.
/// </summary>
public sealed class VmGrain : Grain, IVmGrain
{
    private const int RememberedOperations = 64;

    private readonly ControlPlaneServices _services;
    private readonly VmPlacement _placement;
    private readonly IRegionGrain _region;
    private readonly List<WorkerCompletion> _completed = [];
    private readonly IGrainTimer _wakeUp;
    private readonly Dictionary<string, VmCommandResult> _operations = new(StringComparer.Ordinal);
    private readonly Queue<string> _operationOrder = new();
    private readonly IPersistentState<VmRecord> _record;
    private VmState _state;
    private IWorkerDriver? _worker;
    private ModelId? _model;
    private string? _instanceKey;
    private string? _lastOperationId;
    private TimeSpan? _lastLoadTime;
    private DateTimeOffset? _drainDeadline;
    private DateTimeOffset? _armedFor;
    private long _completedCount;
    private long _rejectedCount;

    /// <summary>Creates the grain (by the runtime).</summary>
    /// <exception cref="InvalidOperationException">The services have no VM layout, or it has no VM of this key.</exception>
    public VmGrain(ControlPlaneServices services)
    {
        _services = services;
        var layout = services.Vms ?? throw new InvalidOperationException($"VM {Key}: the control plane has no VM layout (ControlPlaneServices.Vms).");
        _placement = layout.Find(Key) ?? throw new InvalidOperationException($"VM {Key}: no such VM in the layout (keys are region/vm-n).");
        _region = GrainFactory.GetGrain<IRegionGrain>(_placement.Region.Name);
        _wakeUp = RegisterTimer(_ => OnWakeUpAsync(), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, $"{Key}.worker", keepsSimulationAlive: true);
        _record = GetPersistentState<VmRecord>("vm");
    }

    /// <summary>A VM that had a model loaded before this activation (another silo, or before idle collection) loads it again.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_record.RecordExists && _record.State.Model is { } model)
        {
            var result = await LoadModelAsync(new VmLoadCommand($"restore:{Key}", new ModelId(model)));
            if (result.Outcome is not (VmCommandOutcome.Applied or VmCommandOutcome.NoChange))
            {
                throw new InvalidOperationException($"VM {Key} could not restore model {model}: {result.Outcome}: {result.Problem}");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<VmCommandResult> LoadModelAsync(VmLoadCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Repeat(command.OperationId) is { } repeated)
        {
            return repeated;
        }

        if (_services.Vms!.Deployment(_placement.Region, command.Model) is not { } deployment)
        {
            return Remember(command.OperationId, VmCommandOutcome.UnknownModel, $"model {command.Model} is not deployed in {_placement.Region}");
        }

        if (_state == VmState.Ready && _model == command.Model)
        {
            return Remember(command.OperationId, VmCommandOutcome.NoChange, null);
        }

        if (_state != VmState.Empty)
        {
            return Remember(command.OperationId, VmCommandOutcome.Conflict,
                $"VM {Key} is {_state.ToString().ToLowerInvariant()} with model {_model}; unload it (and wait for it to be empty) first");
        }

        _state = VmState.Loading;
        _model = command.Model;
        _instanceKey = VmLayout.InstanceKeyFor(_placement, command.Model);
        var started = Time.GetTimestamp();
        try
        {
            _worker = _services.Workers.Create(_placement.Region, command.Model, deployment.Sku, _instanceKey);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Clear();
            return Remember(command.OperationId, VmCommandOutcome.Failed, $"creating the worker for {command.Model} failed: {e.Message}");
        }

        _lastLoadTime = Time.GetElapsedTime(started);
        if (!await _region.SetInstanceServingAsync(new InstanceAvailability(_instanceKey, Serving: true)))
        {
            DisposeWorker();
            Clear();
            return Remember(command.OperationId, VmCommandOutcome.UnknownModel, $"region {_placement.Region} does not serve model {command.Model}");
        }

        _state = VmState.Ready;
        await RecordDesiredAsync(command.Model.Name);
        return Remember(command.OperationId, VmCommandOutcome.Applied, null);
    }

    /// <inheritdoc />
    public async ValueTask<VmCommandResult> UnloadModelAsync(VmUnloadCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Repeat(command.OperationId) is { } repeated)
        {
            return repeated;
        }

        var now = Time.GetUtcNow();
        switch (_state)
        {
            case VmState.Empty:
                return Remember(command.OperationId, VmCommandOutcome.NoChange, null);
            case VmState.Draining when command.Mode == VmUnloadMode.Drain:
                return Remember(command.OperationId, VmCommandOutcome.NoChange, null);
            case VmState.Loading:
                // Loading happens inside one turn of LoadModelAsync, so a command never sees it; refuse rather than guess.
                return Remember(command.OperationId, VmCommandOutcome.Conflict, $"VM {Key} is loading model {_model}");
            case VmState.Ready:
                // Out of service first: from here the region routes nothing new to this instance.
                await _region.SetInstanceServingAsync(new InstanceAvailability(_instanceKey!, Serving: false));
                await RecordDesiredAsync(null);
                _state = VmState.Draining;
                _drainDeadline = command.DrainTimeout is { } timeout ? now + timeout : null;
                break;
        }

        now = Time.GetUtcNow();
        _worker!.AdvanceTo(now, _completed);
        await FlushAsync(now);
        if (command.Mode == VmUnloadMode.Abort)
        {
            await AbortHeldAsync($"model {_model} was unloaded from VM {Key} (abort)", now);
        }

        if (_state == VmState.Draining && _worker.Load is { Running: 0, Waiting: 0 })
        {
            FinishUnload();
        }

        return Remember(command.OperationId, VmCommandOutcome.Applied, null);
    }

    /// <inheritdoc />
    public ValueTask<VmStatus> GetStatusAsync(int unused) => ValueTask.FromResult(Status());

    /// <inheritdoc />
    public async ValueTask<VmAdmission> SubmitToWorkerAsync(VmSubmission submission)
    {
        if (_state != VmState.Ready || submission.InstanceKey != _instanceKey)
        {
            _rejectedCount++;
            var why = _state switch
            {
                VmState.Empty => "holds no model",
                VmState.Draining => $"is unloading model {_model}",
                _ => $"hosts {_instanceKey}, not {submission.InstanceKey}",
            };
            return new VmAdmission(false, $"VM {Key} {why}");
        }

        var now = Time.GetUtcNow();
        _worker!.AdvanceTo(now, _completed);
        var accepted = _worker.TrySubmit(submission.Request, now, out var reason);
        if (!accepted)
        {
            _rejectedCount++;
        }

        await FlushAsync(now);
        return new VmAdmission(accepted, accepted ? null : reason ?? "refused by the worker");
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InferenceRequest>> CrashWorkerAsync(string instanceKey)
    {
        if (_worker is null || instanceKey != _instanceKey)
        {
            return [];
        }

        var now = Time.GetUtcNow();
        _worker.AdvanceTo(now, _completed);
        await FlushAsync(now);
        var lost = _worker.Abort();
        if (_state == VmState.Draining)
        {
            FinishUnload(); // nothing left to drain: the caller routes what was held elsewhere
        }
        else
        {
            Arm(now);
        }

        return lost;
    }

    /// <summary>Destroys the worker (a native engine frees its memory); a reactivated VM starts empty.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        DisposeWorker();
        return Task.CompletedTask;
    }

    private async Task OnWakeUpAsync()
    {
        _armedFor = null;
        if (_worker is null)
        {
            return;
        }

        var now = Time.GetUtcNow();
        _worker.AdvanceTo(now, _completed);
        await FlushAsync(now);
        if (_state != VmState.Draining)
        {
            return;
        }

        if (_drainDeadline is { } deadline && now >= deadline && _worker.Load is not { Running: 0, Waiting: 0 })
        {
            await AbortHeldAsync($"model {_model} was unloaded from VM {Key} and the drain timed out", now);
        }

        if (_worker.Load is { Running: 0, Waiting: 0 })
        {
            FinishUnload();
        }
    }

    /// <summary>Every request the worker holds is rejected with <paramref name="reason"/>: told to the observer and the region.</summary>
    private async ValueTask AbortHeldAsync(string reason, DateTimeOffset now)
    {
        var lost = _worker!.Abort();
        if (lost.Count == 0)
        {
            return;
        }

        long tokens = 0;
        long interactive = 0;
        foreach (var request in lost)
        {
            long t = (long)request.PromptTokens + request.OutputTokens;
            tokens += t;
            interactive += request.Tier == Tier.Interactive ? t : 0;
            _services.Observer.OnRejected(request, reason, now);
        }

        _rejectedCount += lost.Count;
        await _region.ReportCompletionsAsync(new CompletionReport(_instanceKey!, 0, tokens, interactive, Rejected: lost.Count, RejectionReason: reason));
    }

    private async ValueTask RecordDesiredAsync(string? model)
    {
        if (_record.State.Model != model || !_record.RecordExists)
        {
            _record.State.Model = model;
            await _record.WriteStateAsync();
        }
    }

    private void FinishUnload()
    {
        DisposeWorker();
        Clear();
        _wakeUp.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _armedFor = null;
    }

    private async ValueTask FlushAsync(DateTimeOffset now)
    {
        if (_completed.Count > 0)
        {
            long freed = 0;
            long interactiveFreed = 0;
            _completedCount += _completed.Count;
            foreach (var c in _completed)
            {
                long tokens = (long)c.Request.PromptTokens + c.Request.OutputTokens;
                freed += tokens;
                interactiveFreed += c.Request.Tier == Tier.Interactive ? tokens : 0;
                _services.Observer.OnCompleted(new RequestCompletion(c.Request, _instanceKey!, c.SubmittedAt, c.FirstTokenAt, c.CompletedAt));
            }

            var report = new CompletionReport(_instanceKey!, _completed.Count, freed, interactiveFreed);
            _completed.Clear();
            await _region.ReportCompletionsAsync(report);
        }

        Arm(now);
    }

    private void Arm(DateTimeOffset now)
    {
        var next = _worker?.NextEventAt;
        if (_state == VmState.Draining && _drainDeadline is { } deadline && (next is null || deadline < next))
        {
            next = deadline;
        }

        if (next == _armedFor)
        {
            return;
        }

        _armedFor = next;
        _wakeUp.Change(next is { } at ? (at > now ? at - now : TimeSpan.Zero) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void DisposeWorker()
    {
        (_worker as IDisposable)?.Dispose();
        _worker = null;
    }

    private void Clear()
    {
        _state = VmState.Empty;
        _model = null;
        _instanceKey = null;
        _drainDeadline = null;
    }

    private VmStatus Status() => new(
        Key, _state, _model, _instanceKey, _worker?.Load ?? default, _lastOperationId, _lastLoadTime, _completedCount, _rejectedCount);

    private VmCommandResult? Repeat(string operationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationId);
        return _operations.TryGetValue(operationId, out var first) ? first with { Status = Status(), Repeated = true } : null;
    }

    private VmCommandResult Remember(string operationId, VmCommandOutcome outcome, string? problem)
    {
        if (outcome is VmCommandOutcome.Applied or VmCommandOutcome.NoChange)
        {
            _lastOperationId = operationId;
        }

        var result = new VmCommandResult(outcome, Status(), problem);
        _operations[operationId] = result;
        _operationOrder.Enqueue(operationId);
        if (_operationOrder.Count > RememberedOperations)
        {
            _operations.Remove(_operationOrder.Dequeue());
        }

        return result;
    }
}
