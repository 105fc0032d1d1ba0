using System.Diagnostics;
using System.Globalization;
using System.Text;
using SageServe.Planning.Solver;

namespace SageServe.Planning.Planner;

/// <summary>
/// Times <see cref="IlpPlanner"/> on seeded synthetic problems of a given size (docs/benchmarks-planner.md).
/// </summary>
public static class PlannerBenchmark
{
    private const double A100UsdPerHour = 32.77;
    private const double RoutingThresholdKm = 2500;

    /// <summary>
    /// A synthetic problem: regions spread over 6000 km (routes allowed within 2500 km, penalty growing with
    /// distance), SKUs with rising speed and price, per model 1 TP-8 configuration per SKU (capacity varies by model),
    /// diurnal forecasts with per-region phase, NIW backlog with deadlines, current instances near hour-1 needs (model i on SKU i mod skus),
    /// and per-(region, SKU) GPU quotas (80–140% of the home need at the slowest SKU) that bind in some regions when <paramref name="routing"/> is on.
    /// </summary>
    /// <param name="regions">Regions.</param>
    /// <param name="models">Models.</param>
    /// <param name="skus">SKUs (configurations per model).</param>
    /// <param name="hours">Planned hours.</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="routing">Whether cross-region routes and binding quotas are generated.</param>
    public static PlanningProblem CreateProblem(int regions, int models, int skus, int hours, int seed, bool routing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(regions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(skus, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        var random = new Random(seed);
        var regionNames = Enumerable.Range(0, regions).Select(j => $"r{j}").ToArray();
        var modelNames = Enumerable.Range(0, models).Select(i => $"m{i}").ToArray();
        var positionKm = regionNames.Select(_ => random.NextDouble() * 6000).ToArray();
        const int floor = 2;

        var configs = new List<DeploymentConfiguration>();
        var baseCapacity = new double[models];
        for (var i = 0; i < models; i++)
        {
            baseCapacity[i] = 2000 + (random.NextDouble() * 18000);
            for (var k = 0; k < skus; k++)
            {
                // Later SKUs are faster and pricier; the speed-up varies by model so no SKU dominates everywhere.
                var speed = 1.0 + (k * (0.8 + (random.NextDouble() * 1.6)));
                var price = A100UsdPerHour * (1.0 + (k * 1.5));
                configs.Add(new DeploymentConfiguration(modelNames[i], $"sku{k}", 8, 8, baseCapacity[i] * speed, price, price / 6.0));
            }
        }

        var load = new List<EndpointLoad>();
        var niw = new List<NiwBacklog>();
        var current = new List<CurrentInstances>();
        var neededGpus = new double[regions];
        for (var i = 0; i < models; i++)
        {
            for (var j = 0; j < regions; j++)
            {
                var scale = baseCapacity[i] * (0.5 + (random.NextDouble() * 11.5));
                var phase = positionKm[j] / 6000 * 6;
                var peak = 0.0;
                for (var t = 1; t <= hours; t++)
                {
                    var value = scale * (1.0 + (0.4 * Math.Sin(2 * Math.PI * (t + phase) / 24))) * (0.9 + (0.2 * random.NextDouble()));
                    load.Add(new EndpointLoad(modelNames[i], regionNames[j], t, value));
                    peak = Math.Max(peak, value);
                }

                niw.Add(new NiwBacklog(modelNames[i], regionNames[j], 2 + random.Next(hours + 1), scale * 0.1 * hours * random.NextDouble()));
                var start = Math.Max(floor, (int)Math.Ceiling(load[^hours].Load / baseCapacity[i]) + random.Next(-1, 2));
                current.Add(new CurrentInstances(modelNames[i], regionNames[j], $"sku{i % skus}", 8, start));
                neededGpus[j] += 8 * Math.Ceiling(peak / baseCapacity[i]);
            }
        }

        var quotas = new List<RegionQuota>();
        var routes = new List<RoutingLink>();
        if (routing)
        {
            var floorGpus = models * floor * 8;
            for (var j = 0; j < regions; j++)
            {
                // GPUs are counted at the slowest SKU, so quotas summing to ≥ the need always fit the home load; regions
                // without a neighbour get that, the others 80–140% of it and may have to route.
                var isolated = positionKm.Where((km, b) => b != j && Math.Abs(km - positionKm[j]) <= RoutingThresholdKm).Any() is false;
                for (var k = 0; k < skus; k++)
                {
                    var share = (isolated ? 1.5 : 0.8 + (random.NextDouble() * 0.6)) / skus;
                    var gpus = Math.Max(floorGpus, 8 * (int)Math.Ceiling(neededGpus[j] * share / 8));
                    quotas.Add(new RegionQuota(regionNames[j], $"sku{k}", gpus));
                }
            }

            // About a tenth of the cheapest capacity price per load-hour at the threshold distance.
            var penaltyAtThreshold = 0.1 * A100UsdPerHour / baseCapacity.Max();
            for (var a = 0; a < regions; a++)
            {
                for (var b = 0; b < regions; b++)
                {
                    var km = Math.Abs(positionKm[a] - positionKm[b]);
                    if (a != b && km <= RoutingThresholdKm)
                    {
                        routes.Add(new RoutingLink(regionNames[a], regionNames[b], penaltyAtThreshold * km / RoutingThresholdKm));
                    }
                }
            }
        }

        return new PlanningProblem
        {
            Models = modelNames,
            Regions = regionNames,
            Configurations = configs,
            Hours = hours,
            InteractiveLoad = load,
            NiwBacklog = niw,
            Current = current,
            Quotas = quotas,
            Routes = routes,
            FloorPerEndpoint = floor,
        };
    }

    /// <summary>Builds a problem with <see cref="CreateProblem"/>, solves it with the ILP and the reference planner, and reports.</summary>
    /// <param name="regions">Regions.</param>
    /// <param name="models">Models.</param>
    /// <param name="skus">SKUs.</param>
    /// <param name="hours">Planned hours.</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="routing">Whether routes and binding quotas are generated.</param>
    /// <param name="options">Solver limits; <see cref="PlannerOptions.Default"/> when null.</param>
    /// <param name="solver">Solver; CBC when null.</param>
    /// <returns>A short multi-line report.</returns>
    public static string Run(int regions, int models, int skus, int hours, int seed, bool routing, PlannerOptions? options = null, IMipSolver? solver = null)
    {
        options ??= PlannerOptions.Default;
        var problem = CreateProblem(regions, models, skus, hours, seed, routing);
        var build = Stopwatch.StartNew();
        var plan = new IlpPlanner(solver, options).Solve(problem);
        build.Stop();
        var reference = ReferencePlanner.Solve(problem);
        var routedAway = plan.Routing.Where(r => r.FromRegion != r.ToRegion).Sum(r => r.Load);
        var totalLoad = problem.InteractiveLoad.Sum(l => l.Load);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"scale {regions} regions x {models} models x {skus} SKUs x {hours} h, routing {(routing ? $"on ({problem.Routes.Count} links)" : "off")}, seed {seed}, limit {options.TimeLimit.TotalSeconds:0.#} s, gap {options.RelativeGap:P1}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  ILP: {plan.Status} ({plan.SolverStatus}) in {plan.SolveTime.TotalMilliseconds:F0} ms (end to end {build.Elapsed.TotalMilliseconds:F0} ms), gap {plan.Gap:P2}, objective {plan.ObjectiveUsd:F0} USD");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  size: {plan.Variables} vars ({plan.IntegerVariables} integer), {plan.Constraints} constraints; {plan.InstanceHours} instance-hours, {routedAway / Math.Max(totalLoad, 1e-9):P1} of IW load routed away, {plan.Changes.Count} changes");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  reference (ceil per model/region, quotas ignored): {reference.InstanceHours} instance-hours, {reference.ObjectiveUsd:F0} USD GPU cost, {reference.SolveTime.TotalMilliseconds:F1} ms");
        text.AppendLine($"  {plan.Explanation}");

        return text.ToString();
    }
}
