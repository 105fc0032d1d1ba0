using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Regions;
using SageServe.Grains.Vms;
using SageServe.Grains.Workers;
using SageServe.Runtime;

namespace SageServe.Grains.Instances;

/// <summary>
/// Drives one worker: submits requests to it inside turns, wakes on a one-shot timer at the worker's next event,
/// collects completions, tells the observer and reports freed tokens to the region in one call per wake-up.
/// When the services' <see cref="ControlPlaneServices.Vms"/> layout places this instance on a VM (live silo), the
/// instance is the model loaded on that VM: it holds no worker and forwards to the <see cref="IVmGrain"/>, which owns
/// the worker, loads and unloads it on command and reports completions under this instance's key.
/// </summary>
public sealed class ModelInstanceGrain : Grain, IModelInstanceGrain
{
    private readonly ControlPlaneServices _services;
    private readonly IWorkerDriver _worker = null!;
    private readonly IRegionGrain _region;
    private readonly List<WorkerCompletion> _completed = [];
    private readonly IGrainTimer _wakeUp = null!;
    private readonly IVmGrain? _vm;
    private DateTimeOffset? _armedFor;

    /// <summary>Creates the grain (by the runtime).</summary>
    public ModelInstanceGrain(ControlPlaneServices services)
    {
        _services = services;
        var (region, model, _) = FleetTopology.ParseInstanceKey(Key);
        if (services.Vms?.HostOf(Key) is { } vm)
        {
            // Hosted: the VM grain owns the worker (created on its load command), so there is none to make here.
            _vm = GrainFactory.GetGrain<IVmGrain>(vm);
            _region = GrainFactory.GetGrain<IRegionGrain>(region.Name);
            return;
        }

        var sku = services.Topology.Deployments.FirstOrDefault(d => d.Region == region && d.Model == model)?.Sku
            ?? throw new InvalidOperationException($"Instance {Key}: {model} is not deployed in {region}.");
        _worker = services.Workers.Create(region, model, sku, Key);
        _region = GrainFactory.GetGrain<IRegionGrain>(region.Name);
        _wakeUp = RegisterTimer(_ => OnWakeUpAsync(), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, $"{Key}.worker", keepsSimulationAlive: true);
    }

    /// <inheritdoc />
    public async ValueTask<bool> SubmitAsync(InferenceRequest request)
    {
        if (_vm is not null)
        {
            return await SubmitToVmAsync(_vm, request);
        }

        var now = Time.GetUtcNow();
        _worker.AdvanceTo(now, _completed);
        var accepted = _worker.TrySubmit(request, now, out var reason);
        if (!accepted)
        {
            reason ??= "refused by the worker";
            _services.Observer.OnRejected(request, reason, now);
            long tokens = (long)request.PromptTokens + request.OutputTokens;
            await _region.ReportCompletionsAsync(new CompletionReport(
                Key, 0, tokens, request.Tier == Tier.Interactive ? tokens : 0, Rejected: 1, RejectionReason: reason));
        }

        await FlushAsync(now);
        return accepted;
    }

    /// <inheritdoc />
    public ValueTask<InstanceLoad> GetLoadAsync(int unused) => _vm is null ? ValueTask.FromResult(_worker.Load) : LoadOnVmAsync(_vm, Key);

    /// <summary>Unloads the worker (a native engine frees its memory); a reactivation loads a fresh one.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        (_worker as IDisposable)?.Dispose(); // null when hosted: the VM grain disposes its own worker
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InferenceRequest>> CrashAsync(int unused)
    {
        if (_vm is not null)
        {
            return await _vm.CrashWorkerAsync(Key);
        }

        var now = Time.GetUtcNow();
        _worker.AdvanceTo(now, _completed);
        await FlushAsync(now);
        var lost = _worker.Abort();
        Arm(now);
        return lost;
    }

    private async Task OnWakeUpAsync()
    {
        _armedFor = null;
        var now = Time.GetUtcNow();
        _worker.AdvanceTo(now, _completed);
        await FlushAsync(now);
    }

    private async ValueTask FlushAsync(DateTimeOffset now)
    {
        if (_completed.Count > 0)
        {
            long freed = 0;
            long interactiveFreed = 0;
            foreach (var c in _completed)
            {
                long tokens = (long)c.Request.PromptTokens + c.Request.OutputTokens;
                freed += tokens;
                if (c.Request.Tier == Tier.Interactive)
                {
                    interactiveFreed += tokens;
                }

                _services.Observer.OnCompleted(new RequestCompletion(c.Request, Key, c.SubmittedAt, c.FirstTokenAt, c.CompletedAt));
            }

            var report = new CompletionReport(Key, _completed.Count, freed, interactiveFreed);
            _completed.Clear();
            await _region.ReportCompletionsAsync(report);
        }

        Arm(now);
    }

    private void Arm(DateTimeOffset now)
    {
        var next = _worker.NextEventAt;
        if (next == _armedFor)
        {
            return;
        }

        _armedFor = next;
        _wakeUp.Change(next is { } at ? (at > now ? at - now : TimeSpan.Zero) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Hosted: the VM admits it, or the rejection (say, the VM unloaded this model) is reported here.</summary>
    private async ValueTask<bool> SubmitToVmAsync(IVmGrain vm, InferenceRequest request)
    {
        var admission = await vm.SubmitToWorkerAsync(new VmSubmission(Key, request));
        if (admission.Accepted)
        {
            return true;
        }

        var reason = admission.Reason ?? "refused by the VM";
        _services.Observer.OnRejected(request, reason, Time.GetUtcNow());
        long tokens = (long)request.PromptTokens + request.OutputTokens;
        await _region.ReportCompletionsAsync(new CompletionReport(
            Key, 0, tokens, request.Tier == Tier.Interactive ? tokens : 0, Rejected: 1, RejectionReason: reason));
        return false;
    }

    /// <summary>Hosted: the VM's worker load while it hosts this instance; zero otherwise (unloaded, or another model).</summary>
    private static async ValueTask<InstanceLoad> LoadOnVmAsync(IVmGrain vm, string key)
    {
        var status = await vm.GetStatusAsync(0);
        return status.InstanceKey == key ? status.Load : default;
    }
}
