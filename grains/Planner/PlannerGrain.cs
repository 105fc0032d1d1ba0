using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Regions;
using SageServe.Planning.Forecasting;
using SageServe.Planning.Planner;
using SageServe.Runtime;
using SageServe.Runtime.Storage;

namespace SageServe.Grains.Planner;

/// <summary>
/// The hourly planner. History per (region, model) is bounded, persisted, and seeded from
/// <see cref="ControlPlaneServices.PlannerHistory"/> (e.g. the previous day); forecasts are always out of sample (fit
/// on what has arrived so far). Each wake-up builds one <see cref="PlanningProblem"/> (the upper quantile of each
/// hour's peak, current instances, quotas, allowed cross-region routes) and solves it with the reference planner or
/// the co-optimising ILP; the first hour of the plan goes to the regions as targets and routing shares.
/// </summary>
public sealed class PlannerGrain : Grain, IPlannerGrain
{
    private readonly ControlPlaneServices _services;
    private readonly PlannerOptions _options;
    private readonly IPersistentState<PlannerState> _state;
    private readonly IlpPlanner _ilp;
    private Plan? _previous;

    /// <summary>Creates the grain (by the runtime).</summary>
    public PlannerGrain(ControlPlaneServices services)
    {
        _services = services;
        _options = services.Planner;
        _ilp = new IlpPlanner(options: _options.Solver);
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
        var current = new Dictionary<(RegionId, ModelId), int>();
        foreach (var region in _services.Topology.Regions)
        {
            foreach (var traffic in await GrainFactory.GetGrain<IRegionGrain>(region.Name).DrainTrafficAsync(0))
            {
                Append(region, traffic);
                current[(region, traffic.Model)] = traffic.ActiveInstances;
            }
        }

        var (problem, forecasts) = BuildProblem(current);
        var solved = _options.Mode == PlanningMode.CoOptimising ? _ilp.Solve(problem) : ReferencePlanner.Solve(problem);
        _previous = solved;
        var plan = PlanPostProcessor.Apply(solved, _options.PostProcessing);
        var solve = new PlanSolve(
            _state.State.Plans, now, _options.Mode, solved.Status, solved.SolverStatus, solved.SolveTime, solved.ObjectiveUsd, solved.Gap,
            solved.Variables, solved.Constraints, solved.Explanation);

        var plans = new List<RegionPlan>();
        foreach (var region in _services.Topology.Regions)
        {
            var targets = _services.Topology.In(region).Select(d => Target(d, plan, forecasts)).ToList();
            var regionPlan = new RegionPlan(_state.State.Plans, targets) { Region = region, Solve = solve };
            await GrainFactory.GetGrain<IRegionGrain>(region.Name).ApplyPlanAsync(regionPlan);
            plans.Add(regionPlan);
        }

        _state.State.Plans++;
        await _state.WriteStateAsync();
        _services.PlanObserver?.Invoke(now, plans);
        return plans;
    }

    private (PlanningProblem Problem, Dictionary<(RegionId, ModelId), (double Point, HourlyDemand First)> Forecasts) BuildProblem(
        Dictionary<(RegionId, ModelId), int> current) =>
        PlanningProblemFactory.Build(
            _services.Topology, _services.Capacity, _services.Scaling, _options,
            (region, model) => _state.State.History[Series(region, model)], current, _previous);

    private ModelTarget Target(Deployment deployment, Plan plan, Dictionary<(RegionId, ModelId), (double Point, HourlyDemand First)> forecasts)
    {
        if (!forecasts.TryGetValue((deployment.Region, deployment.Model), out var forecast))
        {
            return new ModelTarget(deployment.Model, Math.Max(_services.Scaling.Floor, deployment.Instances), 0, "no history yet: keep the current fleet");
        }

        var instances = plan.InstancesAt(deployment.Model.Name, deployment.Region.Name, 1);
        var spill = plan.Routing
            .Where(r => r.Hour == 1 && r.Model == deployment.Model.Name && r.FromRegion == deployment.Region.Name && r.ToRegion != r.FromRegion && r.Fraction > 0.001)
            .Select(r => (new RegionId(r.ToRegion), r.Fraction))
            .ToList();
        var reason = $"{_options.Forecaster.Name}: next-hour peak ≤ {forecast.First.UpperPromptTokensPerMinute:N0} prompt tok/min (q{_options.UpperQuantile:0.##}) → " +
                     $"{instances} instance(s) ({_options.PostProcessing}); {plan.Status}{(plan.Fallback ? $" ({plan.Explanation})" : "")}";
        return new ModelTarget(deployment.Model, instances, forecast.Point, reason)
        {
            Spill = spill,
            ForecastPeakPromptTokensPerMinute = forecast.First.UpperPromptTokensPerMinute,
        };
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
}
