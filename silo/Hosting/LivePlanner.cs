using SageServe.Grains.Domain;
using SageServe.Grains.Planner;
using SageServe.Runtime;
using SageServe.Silo.Api;

namespace SageServe.Silo.Hosting;

/// <summary>
/// The live silo's side of the planner grain (key <see cref="GrainKey"/>, as <c>sageserve simulate</c> uses it):
/// starts it and keeps its activation alive so its hourly timer runs in real time, forces plans, records each plan's
/// solve time in <see cref="SiloMetrics"/>, and keeps the latest plan with a baseline of the traffic observed so far,
/// so <see cref="Current"/> can show forecast vs actual.
/// </summary>
public sealed class LivePlanner : IAsyncDisposable
{
    /// <summary>The planner grain's key.</summary>
    public const string GrainKey = "cluster";

    // Well within the silo's idle-collection age (15 min): the grain's own timer fires only hourly.
    private static readonly TimeSpan s_keepAlive = TimeSpan.FromMinutes(1);

    private readonly SiloMetrics _metrics;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private IGrainFactory? _grains;
    private TimeProvider _time = TimeProvider.System;
    private Task? _keepAliveLoop;
    private Latest? _latest;

    /// <summary>A planner view for <paramref name="options"/>' planner settings.</summary>
    /// <exception cref="SiloOptionException">The planner history file cannot be read.</exception>
    public LivePlanner(SiloHostOptions options, SiloMetrics metrics, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics;
        _log = log;
        Options = new PlannerOptions { Mode = options.Planner == "reference" ? PlanningMode.Reference : PlanningMode.CoOptimising };
        WarmUp = options.PlannerHistory is { } path ? PlannerWarmUp.Read(path) : null;
    }

    /// <summary>The planner grain's settings (give them to <c>ControlPlaneServices.Planner</c>).</summary>
    public PlannerOptions Options { get; }

    /// <summary>Per-minute history to seed the planner with (from <c>--planner-history</c>), or null.</summary>
    public Func<RegionId, ModelId, IReadOnlyList<double>>? WarmUp { get; }

    /// <summary>Interactive traffic as it arrives (feed it from the request observer).</summary>
    public ObservedTraffic Traffic { get; } = new();

    /// <summary>Whether <see cref="EnsureStartedAsync"/> has run (this silo hosts the planner).</summary>
    public bool Started => Volatile.Read(ref _keepAliveLoop) is not null;

    /// <summary>Connects to the silo's grains; call once, after the silo is built.</summary>
    public void Attach(IGrainFactory grains, TimeProvider time)
    {
        _grains = grains;
        _time = time;
    }

    /// <summary>The plan observer (<c>ControlPlaneServices.PlanObserver</c>): called inside the planner's turn.</summary>
    public void OnPlan(DateTimeOffset at, IReadOnlyList<RegionPlan> plans)
    {
        var solve = plans.Select(p => p.Solve).FirstOrDefault(s => s is not null);
        if (solve is not null)
        {
            _metrics.RecordPlanSolve(ModeName(solve.Mode), solve.Status.ToString(), solve.SolveTime);
        }

        var latest = new Latest(solve?.Sequence ?? -1, at, plans, Traffic.Totals());
        lock (_gate)
        {
            if (_latest is null || latest.Sequence >= _latest.Sequence)
            {
                _latest = latest;
            }
        }
    }

    /// <summary>
    /// Activates the planner grain here (its timer plans at once, then every <see cref="PlannerOptions.Interval"/>) and
    /// keeps it active. Idempotent. Returns the number of plans the planner had made before this call.
    /// </summary>
    public async Task<int> EnsureStartedAsync()
    {
        var plans = await Grain().StartAsync(0).ConfigureAwait(false);
        lock (_gate)
        {
            if (_keepAliveLoop is null && !_stop.IsCancellationRequested)
            {
                _keepAliveLoop = KeepAliveAsync();
            }
        }

        return plans;
    }

    /// <summary>Plans now (a control operation) and returns the plan made.</summary>
    public async Task<PlanDto> PlanNowAsync()
    {
        var plans = await Grain().PlanNowAsync(0).ConfigureAwait(false);
        var sequence = plans.Select(p => p.Solve?.Sequence).FirstOrDefault(s => s is not null) ?? -1;
        Latest? seen;
        lock (_gate)
        {
            seen = _latest;
        }

        // The observer saw this plan inside the planner's turn; its traffic baseline is the right one.
        var latest = seen is not null && seen.Sequence == sequence
            ? seen
            : new Latest(sequence, plans.Select(p => p.Solve?.MadeAt).FirstOrDefault(t => t is not null) ?? _time.GetUtcNow(), plans, Traffic.Totals());
        return Describe(latest);
    }

    /// <summary>The latest plan with the traffic seen since, or null before the first plan.</summary>
    public PlanDto? Current()
    {
        Latest? latest;
        lock (_gate)
        {
            latest = _latest;
        }

        return latest is null ? null : Describe(latest);
    }

    /// <summary>Stops keeping the planner alive (before the silo deactivates its grains).</summary>
    public async Task StopAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }

            loop = _keepAliveLoop;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>The wire name of a planning mode.</summary>
    public static string ModeName(PlanningMode mode) => mode == PlanningMode.CoOptimising ? "ilp" : "reference";

    private IPlannerGrain Grain() =>
        (_grains ?? throw new InvalidOperationException("LivePlanner.Attach was not called")).GetGrain<IPlannerGrain>(GrainKey);

    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(s_keepAlive, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await Grain().StartAsync(0).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log?.Invoke($"planner keep-alive: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private PlanDto Describe(Latest latest)
    {
        var now = _time.GetUtcNow();
        var window = now - latest.MadeAt;
        var minutes = Math.Max(window.TotalMinutes, 1.0 / 60);
        var solve = latest.Plans.Select(p => p.Solve).FirstOrDefault(s => s is not null);
        var regions = latest.Plans.Select(plan => new PlanRegionDto(
            plan.Region.Name,
            [.. plan.Models.Select(target =>
            {
                var (tokens, peak) = Traffic.Since(plan.Region.Name, target.Model.Name, latest.MadeAt, latest.Baseline);
                var forecast = target.ForecastPeakPromptTokensPerMinute is { } upper
                    ? new PlanForecastDto(Round(target.ForecastPromptTokensPerMinute), Round(upper))
                    : null;
                return new PlanModelDto(
                    target.Model.Name,
                    target.Instances,
                    forecast,
                    new PlanActualDto(Round(Math.Max(0, window.TotalSeconds)), Round(tokens), Round(tokens / minutes), Round(peak)),
                    [.. target.Spill.Select(s => new PlanSpillDto(s.To.Name, Math.Round(s.Fraction, 4)))],
                    target.Reason);
            })]));
        var solver = solve is null
            ? new PlanSolverDto("Unknown", null, 0, null, null, 0, 0, "made without solver details")
            : new PlanSolverDto(
                solve.Status.ToString(), solve.SolverStatus?.ToString(), Round(solve.SolveTime.TotalMilliseconds),
                Finite(solve.ObjectiveUsd), Finite(solve.Gap), solve.Variables, solve.Constraints, solve.Explanation);
        return new PlanDto(
            latest.Sequence, latest.MadeAt, Round(Math.Max(0, window.TotalSeconds)), ModeName(solve?.Mode ?? Options.Mode), Options.Forecaster.Name,
            Options.UpperQuantile, Options.HorizonHours, Options.Interval.TotalSeconds, solver, [.. regions]);
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 3) : 0;

    private static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;

    /// <summary>A plan and the running traffic totals when it was made.</summary>
    private sealed record Latest(int Sequence, DateTimeOffset MadeAt, IReadOnlyList<RegionPlan> Plans, IReadOnlyDictionary<(string Region, string Model), double> Baseline);
}
