using System.Diagnostics;
using System.Globalization;

namespace SageServe.Planning.Planner;

/// <summary>
/// Solves a large problem model by model. Models interact only through the GPU quotas (routing, NIW, floors and
/// damping are per model), so the per-model MIPs without quotas are a relaxation: the sum of their proven bounds is
/// a lower bound for the whole problem, and the reported gap is against it. If the combined plan breaks a quota,
/// the models using the broken (region, SKU, hour) cells are re-solved with GPU allotments that sum to the quota
/// (proportional to their use in broken cells, their current use elsewhere, spare GPUs handed out in whole instances).
/// </summary>
internal static class PlannerDecomposition
{
    private const int MaxRepairRounds = 3;
    private static readonly TimeSpan s_minimumPerModel = TimeSpan.FromMilliseconds(50);

    public static Plan Solve(PlanningIndex index, IlpPlanner planner, PlannerOptions options, Stopwatch stopwatch)
    {
        var problem = index.Problem;
        var models = index.Models.Length;
        var loads = problem.InteractiveLoad.ToLookup(l => l.Model);
        var backlog = problem.NiwBacklog.ToLookup(b => b.Model);
        var current = problem.Current.ToLookup(c => c.Model);
        var configs = problem.Configurations.ToLookup(c => c.Model);
        var subIndexes = new PlanningIndex[models];
        for (var i = 0; i < models; i++)
        {
            var name = index.Models[i];
            subIndexes[i] = new PlanningIndex(problem with
            {
                Models = [name],
                Configurations = [.. configs[name]],
                InteractiveLoad = [.. loads[name]],
                NiwBacklog = [.. backlog[name]],
                Current = [.. current[name]],
                Quotas = [],
                Previous = null,
            });
        }

        var plans = new Plan[models];
        var bounds = new double[models];
        var toSolve = Enumerable.Range(0, models).ToList();
        var rounds = 0;
        var repaired = 0;
        Dictionary<(int Region, string Sku, int Hour), int[]> usage;
        while (true)
        {
            // A model that finds nothing in its time share is retried once at the end with what time is left.
            var pending = new Queue<int>(toSolve);
            var retried = new HashSet<int>();
            while (pending.TryDequeue(out var i))
            {
                var remaining = options.TimeLimit - stopwatch.Elapsed;
                var share = remaining / (pending.Count + 1);
                var limit = share > s_minimumPerModel ? share : s_minimumPerModel;
                (plans[i], var bound, var failure) = planner.SolveWhole(subIndexes[i], limit, options.RelativeGap, Stopwatch.StartNew());
                if (failure is null)
                {
                    if (rounds == 0)
                    {
                        bounds[i] = bound; // only the quota-free solve is a relaxation of the whole problem
                    }

                    continue;
                }

                if (plans[i].SolverStatus == Solver.MipStatus.TimedOutNoSolution && retried.Add(i))
                {
                    pending.Enqueue(i);
                    continue;
                }

                return Fallback(index, stopwatch, $"decomposed solve, model '{index.Models[i]}'{(rounds > 0 ? " under its quota allotment" : "")}: {failure}");
            }

            usage = Usage(index, plans);
            var broken = usage.Where(u => u.Value.Sum() > index.Quota[(u.Key.Region, u.Key.Sku)]).Select(u => u.Key).ToHashSet();
            if (broken.Count == 0)
            {
                break;
            }

            if (++rounds > MaxRepairRounds)
            {
                return Fallback(index, stopwatch, $"decomposed solve: {broken.Count} (region, SKU, hour) quotas still exceeded after {MaxRepairRounds} repair rounds");
            }

            toSolve = [.. Enumerable.Range(0, models).Where(i => broken.Any(cell => usage[cell][i] > 0))];
            repaired += toSolve.Count;
            var allotments = Allotments(index, usage, broken, toSolve);
            foreach (var i in toSolve)
            {
                subIndexes[i].HourlyQuota = allotments[i];
                foreach (var ((j, sku, _), gpus) in subIndexes[i].HourlyQuota!)
                {
                    subIndexes[i].Quota[(j, sku)] = Math.Max(subIndexes[i].Quota.GetValueOrDefault((j, sku)), gpus);
                }
            }
        }

        var objective = plans.Sum(p => p.ObjectiveUsd);
        var lowerBound = bounds.Sum();
        var gap = Math.Max(0.0, (objective - lowerBound) / Math.Max(Math.Abs(objective), 1e-10));
        var elapsed = stopwatch.Elapsed;
        var status = gap <= options.RelativeGap + 1e-12 ? PlanStatus.Optimal : PlanStatus.Feasible;
        var timedOut = plans.Count(p => p.Status == PlanStatus.Feasible);
        return new Plan
        {
            Status = status,
            Explanation = string.Create(CultureInfo.InvariantCulture,
                $"co-optimising ILP decomposed per model ({models} MIPs, {repaired} re-solved in {rounds} quota repair rounds, {timedOut} stopped at their share of the time limit); " +
                $"gap {gap:P2} against the quota-free bound {lowerBound:F0} USD in {elapsed.TotalMilliseconds:F0} ms"),
            Hours = index.Hours,
            Instances = [.. plans.SelectMany(p => p.Instances)],
            Routing = [.. plans.SelectMany(p => p.Routing)],
            Niw = [.. plans.SelectMany(p => p.Niw)],
            Changes = [.. plans.SelectMany(p => p.Changes)],
            ObjectiveUsd = objective,
            Gap = gap,
            SolverStatus = status == PlanStatus.Optimal ? Solver.MipStatus.Optimal : Solver.MipStatus.Feasible,
            SolveTime = elapsed,
            Variables = plans.Sum(p => p.Variables),
            IntegerVariables = plans.Sum(p => p.IntegerVariables),
            Constraints = plans.Sum(p => p.Constraints),
        };
    }

    private static Plan Fallback(PlanningIndex index, Stopwatch stopwatch, string reason) =>
        PlanFallback.Create(index, reason) with { SolveTime = stopwatch.Elapsed };

    /// <summary>GPUs each model uses per quota cell (region, SKU, hour), indexed by model.</summary>
    private static Dictionary<(int Region, string Sku, int Hour), int[]> Usage(PlanningIndex index, Plan[] plans)
    {
        var regionOf = index.Regions.Select((r, j) => (r, j)).ToDictionary(p => p.r, p => p.j);
        var gpusOf = index.Configs.ToDictionary(c => (c.Model, c.Sku, c.TensorParallel), c => c.Gpus);
        var usage = new Dictionary<(int, string, int), int[]>();
        foreach (var (j, sku) in index.Quota.Keys)
        {
            for (var t = 0; t < index.Hours; t++)
            {
                usage[(j, sku, t)] = new int[index.Models.Length];
            }
        }

        for (var i = 0; i < plans.Length; i++)
        {
            foreach (var e in plans[i].Instances)
            {
                if (usage.TryGetValue((regionOf[e.Region], e.Sku, e.Hour - 1), out var perModel))
                {
                    perModel[i] += e.Count * gpusOf[(e.Model, e.Sku, e.TensorParallel)];
                }
            }
        }

        return usage;
    }

    /// <summary>
    /// GPUs per quota cell for every model being re-solved, such that all models together fit every quota: in a
    /// broken cell each keeps what damping forces it to hold and the rest of the quota is split in proportion to use;
    /// elsewhere each keeps its use; leftover GPUs go out
    /// in whole instances (largest remainder first, then round robin) so rounding wastes no usable instance.
    /// </summary>
    private static Dictionary<int, Dictionary<(int Region, string Sku, int Hour), int>> Allotments(
        PlanningIndex index, Dictionary<(int Region, string Sku, int Hour), int[]> usage, HashSet<(int, string, int)> broken, List<int> resolving)
    {
        var result = resolving.ToDictionary(i => i, _ => new Dictionary<(int, string, int), int>());
        foreach (var (cell, perModel) in usage)
        {
            var quota = index.Quota[(cell.Region, cell.Sku)];
            var unit = Math.Max(1, index.Configs.Where(c => c.Sku == cell.Sku).Select(c => c.Gpus).DefaultIfEmpty(1).Max());
            var kept = perModel.Where((_, i) => !result.ContainsKey(i)).Sum();
            var available = quota - kept;
            var floorOf = resolving.ToDictionary(i => i, i => DampedMinimum(index, i, cell));
            var spare = available - floorOf.Values.Sum();
            var resolvingUse = resolving.Sum(i => perModel[i]);
            var shares = resolving.ToDictionary(
                i => i,
                i => broken.Contains(cell) && resolvingUse > 0 ? floorOf[i] + ((double)Math.Max(0, spare) * perModel[i] / resolvingUse) : perModel[i]);
            var given = resolving.ToDictionary(i => i, i => Math.Max(floorOf[i], (int)Math.Floor(shares[i] / unit) * unit));
            var left = available - given.Values.Sum();
            var order = resolving.OrderByDescending(i => shares[i] - given[i]).ThenBy(i => i).ToList();
            for (var k = 0; left >= unit && order.Count > 0; k++)
            {
                given[order[k % order.Count]] += unit;
                left -= unit;
            }

            foreach (var i in resolving)
            {
                result[i][cell] = given[i];
            }
        }

        return result;
    }

    /// <summary>
    /// GPUs model <paramref name="i"/> must still hold in <paramref name="cell"/> under damping: each hour it can shed
    /// at most MaxChangesPerHour instances of the endpoint from what runs now (0 without damping).
    /// </summary>
    private static int DampedMinimum(PlanningIndex index, int i, (int Region, string Sku, int Hour) cell)
    {
        if (index.Problem.MaxChangesPerHour is not { } damping)
        {
            return 0;
        }

        var onSku = index.ConfigsOf[i].Where(c => index.Configs[c].Sku == cell.Sku).ToArray();
        if (onSku.Length == 0)
        {
            return 0;
        }

        var now = onSku.Sum(c => index.CurrentCount[cell.Region, c] * index.Configs[c].Gpus);
        var shed = (long)damping * (cell.Hour + 1) * onSku.Max(c => index.Configs[c].Gpus);
        return (int)Math.Max(0, now - shed);
    }
}
