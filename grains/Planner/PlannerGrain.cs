using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Regions;
using SageServe.Planning.Forecasting;
using SageServe.Runtime;
using SageServe.Runtime.Storage;

namespace SageServe.Grains.Planner;

/// <summary>
/// The hourly planner. History per (region, model) is bounded and seeded from <see cref="ControlPlaneServices.PlannerHistory"/>
/// (e.g. the previous day); forecasts are always out of sample (fit on what has arrived so far). Targets follow the
/// reference formulation: the upper quantile of the next hour's peak (over [t+20, t+60] min) divided by an
/// instance's planned prompt-token capacity, never below the floor.
/// </summary>
public sealed class PlannerGrain : Grain, IPlannerGrain
{
    private readonly ControlPlaneServices _services;
    private readonly PlannerOptions _options;
    private readonly IPersistentState<PlannerState> _state;

    /// <summary>Creates the grain (by the runtime).</summary>
    public PlannerGrain(ControlPlaneServices services)
    {
        _services = services;
        _options = services.Planner;
        _state = GetPersistentState<PlannerState>("planner");
        RegisterTimer(async _ => await PlanNowAsync(0), TimeSpan.Zero, _options.Interval, "planner.hourly");
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A new cluster starts from the warm-up history; a reactivated planner resumes from what it stored.
        foreach (var d in _services.Topology.Deployments)
        {
            var key = Series(d.Region, d.Model);
            if (!_state.State.History.ContainsKey(key))
            {
                var seed = _services.PlannerHistory?.Invoke(d.Region, d.Model) ?? [];
                _state.State.History[key] = [.. seed.TakeLast(_options.HistoryMinutes)];
                _state.State.NextMinute[key] = 0;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> StartAsync(int unused) => ValueTask.FromResult(_state.State.Plans);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RegionPlan>> PlanNowAsync(int unused)
    {
        var now = Time.GetUtcNow();
        var plans = new List<RegionPlan>();
        foreach (var region in _services.Topology.Regions)
        {
            var grain = GrainFactory.GetGrain<IRegionGrain>(region.Name);
            foreach (var traffic in await grain.DrainTrafficAsync(0))
            {
                Append(region, traffic);
            }

            var targets = new List<ModelTarget>();
            foreach (var d in _services.Topology.In(region))
            {
                targets.Add(Target(d));
            }

            var plan = new RegionPlan(_state.State.Plans, targets);
            await grain.ApplyPlanAsync(plan);
            plans.Add(plan);
        }

        _state.State.Plans++;
        await _state.WriteStateAsync();
        _services.PlanObserver?.Invoke(now, plans);
        return plans;
    }

    private static string Series(RegionId region, ModelId model) => $"{region}/{model}";

    private void Append(RegionId region, ModelTraffic traffic)
    {
        var key = Series(region, traffic.Model);
        if (!_state.State.History.TryGetValue(key, out var series))
        {
            return;
        }

        var next = _state.State.NextMinute.GetValueOrDefault(key);
        foreach (var (minute, tokens) in traffic.Minutes)
        {
            // Fill minutes with no arrivals with zeros so the series stays evenly spaced.
            for (; next < minute; next++)
            {
                series.Add(0);
            }

            series.Add(tokens);
            next = minute + 1;
        }

        _state.State.NextMinute[key] = next;

        if (series.Count > _options.HistoryMinutes)
        {
            series.RemoveRange(0, series.Count - _options.HistoryMinutes);
        }
    }

    private ModelTarget Target(Deployment deployment)
    {
        var floor = _services.Scaling.Floor;
        var series = _state.State.History[Series(deployment.Region, deployment.Model)];
        if (series.Count == 0)
        {
            return new ModelTarget(deployment.Model, Math.Max(floor, deployment.Instances), 0, "no history yet: keep the current fleet");
        }

        var forecast = _options.Forecaster.Forecast(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(series), 60, _options.UpperQuantile);
        var hour = PlannerSignal.Hourly(forecast, 1)[0];
        var capacity = _services.Capacity(deployment.Model, deployment.Sku);
        var perInstancePerMinute = capacity.PromptTokensPerSecond * 60 * _options.PlannedUtilisation;
        var needed = perInstancePerMinute <= 0 ? floor : (int)Math.Ceiling(hour.UpperPromptTokensPerMinute / perInstancePerMinute);
        var instances = Math.Max(floor, needed);
        return new ModelTarget(
            deployment.Model,
            instances,
            forecast.Point.Count > 0 ? forecast.Point.Average() : 0,
            $"{_options.Forecaster.Name}: next-hour peak ≤ {hour.UpperPromptTokensPerMinute:N0} prompt tok/min (q{_options.UpperQuantile:0.##}); " +
            $"one instance plans {perInstancePerMinute:N0} → {needed} (floor {floor})");
    }
}
