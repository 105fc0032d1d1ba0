using System.CommandLine;
using SageServe.Grains.Domain;
using SageServe.Grains.Planner;
using SageServe.Grains.Scaling;
using SageServe.Planning.Planner;
using SageServe.Simulation.Experiments;
using SageServe.Simulation.Fleet;
using SageServe.Simulation.Workloads;

namespace SageServe.Silo.Commands;

/// <summary>
/// <c>sageserve plan --history FILE</c>: what the planner would do next, from a trace of the past: per-minute IW
/// prompt tokens per (home region, model) → forecast → the plan for the next hours, with why each change.
/// Exit codes: 0, 2 bad input (one line), 1 unexpected failure.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var history = new Option<string>("--history") { Description = "Trace of the past (SageServe CSV, Azure CSV or Mooncake JSONL); its end is 'now'.", Required = true };
        var format = new Option<string?>("--format") { Description = "Trace format: sageserve | azure | mooncake (default: detected)." };
        var mode = new Option<string>("--mode") { Description = "reference (the paper's per-endpoint ceil) or ilp (co-optimising, CBC).", DefaultValueFactory = _ => "ilp" };
        var hours = new Option<int>("--hours") { Description = "Hours to plan (1–24).", DefaultValueFactory = _ => 4 };
        var post = new Option<string>("--post-processing") { Description = "immediate | delay | keep-max | keep-min.", DefaultValueFactory = _ => "immediate" };
        var instances = new Option<int>("--instances") { Description = "Instances each (region, model) runs now.", DefaultValueFactory = _ => 2 };
        var sku = new Option<string>("--sku") { Description = "VM type.", DefaultValueFactory = _ => "a100-80gb" };
        var plan = new Command("plan", "Print the plan for the next hours from a trace of the past, with an explanation of each change.")
        {
            history, format, mode, hours, post, instances, sku,
        };
        plan.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(history)!, parse.GetValue(format), parse.GetValue(mode)!, parse.GetValue(hours), parse.GetValue(post)!, parse.GetValue(instances), parse.GetValue(sku)!);
            }
            catch (TraceFormatException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"sageserve plan: {e.Message}");
                return 2;
            }
        });
        return plan;
    }

    private static int Run(string path, string? format, string modeName, int hours, string postName, int instances, string skuName)
    {
        var mode = modeName.ToLowerInvariant() switch
        {
            "reference" => PlanningMode.Reference,
            "ilp" => PlanningMode.CoOptimising,
            _ => throw new ArgumentException($"--mode: '{modeName}' is not reference or ilp."),
        };
        var postProcessing = ParsePostProcessing(postName);
        if (hours is < 1 or > 24)
        {
            throw new ArgumentException($"--hours: {hours} is not between 1 and 24.");
        }

        if (instances < 0)
        {
            throw new ArgumentException($"--instances: {instances} is negative.");
        }

        if (!File.Exists(path))
        {
            throw new ArgumentException($"--history: file not found: {path}");
        }

        var catalog = PerformanceCatalog.Reference();
        var sku = new SkuId(skuName);
        if (catalog.Skus.Find(sku.Name) is null)
        {
            throw new ArgumentException($"--sku: unknown VM type '{skuName}'.");
        }

        var traceFormat = format is null ? TraceTool.DetectFormat(path) : TraceTool.ParseFormat(format, path);
        var series = PlannerHistory.PerMinute(TraceTool.Read(path, traceFormat));
        if (series.Count == 0)
        {
            throw new ArgumentException($"--history: {path} holds no requests.");
        }

        var topology = new FleetTopology([.. series.Keys.Select(k => new Deployment(new RegionId(k.Item1), new ModelId(k.Item2), sku, instances))]);
        foreach (var d in topology.Deployments)
        {
            catalog.Get(d.Model, d.Sku); // an unprofiled model fails here with the list of what is profiled
        }

        var sizing = new SimulationOptions { Topology = topology, Catalog = catalog };
        var scaling = new ScalingOptions();
        var options = new Grains.Planner.PlannerOptions { Mode = mode, HorizonHours = hours, PostProcessing = postProcessing };
        var (problem, _) = PlanningProblemFactory.Build(
            topology, (m, s) => SimulationRunner.Capacity(sizing, m, s), scaling, options,
            (r, m) => series[(r.Name, m.Name)], new Dictionary<(RegionId, ModelId), int>(), previous: null);
        var solved = mode == PlanningMode.CoOptimising ? new IlpPlanner(options: options.Solver).Solve(problem) : ReferencePlanner.Solve(problem);
        var plan = PlanPostProcessor.Apply(solved, postProcessing);
        Print(plan, problem, path, series.Values.First().Count, options);
        return 0;
    }

    private static PostProcessing ParsePostProcessing(string name) => name.ToLowerInvariant() switch
    {
        "immediate" => PostProcessing.Immediate,
        "delay" => PostProcessing.DelayChanges,
        "keep-max" => PostProcessing.KeepMaximum,
        "keep-min" => PostProcessing.KeepMinimum,
        _ => throw new ArgumentException($"--post-processing: '{name}' is not immediate, delay, keep-max or keep-min."),
    };

    private static void Print(Plan plan, PlanningProblem problem, string path, int minutes, Grains.Planner.PlannerOptions options)
    {
        Console.WriteLine($"history: {Path.GetFileName(path)}, {minutes:N0} minutes; forecaster {options.Forecaster.Name}, upper quantile {options.UpperQuantile:0.##}; " +
                          $"{(options.Mode == PlanningMode.CoOptimising ? "co-optimising ILP (CBC)" : "reference planner")}, post-processing {options.PostProcessing}");
        Console.WriteLine($"status {plan.Status}; objective ${plan.ObjectiveUsd:N2}; gap {plan.Gap:P2}; solve {plan.SolveTime.TotalMilliseconds:N0} ms; " +
                          $"{plan.Variables:N0} variables ({plan.IntegerVariables:N0} integer), {plan.Constraints:N0} constraints");
        if (plan.Fallback)
        {
            Console.WriteLine($"fallback: {plan.Explanation}");
        }

        Console.WriteLine($"{"model",-6} {"region",-10} " + string.Join(" ", Enumerable.Range(1, plan.Hours).Select(h => $"{"h" + h,5}")) + "   forecast h1 (prompt tok/s)");
        foreach (var model in problem.Models)
        {
            foreach (var region in problem.Regions)
            {
                var load = problem.InteractiveLoad.FirstOrDefault(l => l.Model == model && l.Region == region && l.Hour == 1)?.Load ?? 0;
                Console.WriteLine($"{model,-6} {region,-10} " + string.Join(" ", Enumerable.Range(1, plan.Hours).Select(h => $"{plan.InstancesAt(model, region, h),5}")) + $"   {load,10:N0}");
            }
        }

        foreach (var route in plan.Routing.Where(r => r.FromRegion != r.ToRegion && r.Fraction > 0.001).OrderBy(r => r.Hour))
        {
            Console.WriteLine($"route h{route.Hour}: {route.Fraction:P1} of {route.Model}@{route.FromRegion} served in {route.ToRegion}");
        }

        foreach (var change in plan.Changes)
        {
            Console.WriteLine($"why: {change}");
        }
    }
}
