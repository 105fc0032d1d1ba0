using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Regions;
using SageServe.Planning.Forecasting;
using SageServe.Runtime;

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
    private readonly Dictionary<(RegionId Region, ModelId Model), List<double>> _history = [];
    private readonly Dictionary<(RegionId Region, ModelId Model), long> _nextMinute = [];
    private int _plans;

    /// <summary>Creates the grain (by the runtime).</summary>
    public PlannerGrain(ControlPlaneServices services)
    {
        _services = services;
        _options = services.Planner;
        foreach (var d in services.Topology.Deployments)
        {
            var seed = services.PlannerHistory?.Invoke(d.Region, d.Model) ?? [];
            _history[(d.Region, d.Model)] = [.. seed.TakeLast(_options.HistoryMinutes)];
            _nextMinute[(d.Region, d.Model)] = 0;
        }

        RegisterTimer(async _ => await PlanNowAsync(0), TimeSpan.Zero, _options.Interval, "planner.hourly");
    }

    /// <inheritdoc />
    public ValueTask<int> StartAsync(int unused) => ValueTask.FromResult(_plans);

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

            var plan = new RegionPlan(_plans, targets);
            await grain.ApplyPlanAsync(plan);
            plans.Add(plan);
        }

        _plans++;
        _services.PlanObserver?.Invoke(now, plans);
        return plans;
    }

    private void Append(RegionId region, ModelTraffic traffic)
    {
        var key = (region, traffic.Model);
        if (!_history.TryGetValue(key, out var series))
        {
            return;
        }

        foreach (var (minute, tokens) in traffic.Minutes)
        {
            // Fill minutes with no arrivals with zeros so the series stays evenly spaced.
            for (var m = _nextMinute[key]; m < minute; m++)
            {
                series.Add(0);
            }

            series.Add(tokens);
            _nextMinute[key] = minute + 1;
        }

        if (series.Count > _options.HistoryMinutes)
        {
            series.RemoveRange(0, series.Count - _options.HistoryMinutes);
        }
    }

    private ModelTarget Target(Deployment deployment)
    {
        var floor = _services.Scaling.Floor;
        var series = _history[(deployment.Region, deployment.Model)];
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
