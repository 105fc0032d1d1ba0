using SageServe.Planning.Solver;

namespace SageServe.Planning.Planner;

/// <summary>
/// The co-optimising planner MIP (SPEC §5) over a <see cref="PlanningIndex"/>. Loads are divided by the largest
/// per-instance capacity so capacity coefficients are O(1).
/// </summary>
/// <remarks>
/// Tightening: added/removed instances are continuous (with integer n, a = max(0, Δn) and r = max(0, −Δn) is
/// always at least as good, so nothing is lost; the plan reads adds and removes from n); routing variables exist only for allowed pairs with forecast load; instance
/// counts are bounded by what one configuration alone would need (plus the floor, at least the current count)
/// and by the quota; a single configuration's floor is a bound rather than a row; cover cuts per model and hour
/// (see <see cref="IlpPlanner"/>).
/// </remarks>
internal sealed class PlannerFormulation
{
    private readonly PlanningIndex _index;
    private readonly double _scale;
    private readonly List<(int Model, int From, int To, int Hour, Variable X)> _routes = [];

    public PlannerFormulation(PlanningIndex index)
    {
        _index = index;
        var (models, regions, hours, configs) = (index.Models.Length, index.Regions.Length, index.Hours, index.Configs.Length);
        _scale = index.Configs.Max(c => c.CapacityPerInstance);
        var problem = index.Problem;
        var floor = problem.FloorPerEndpoint;
        Model = new MipModel();
        Instances = new Variable[regions, configs, hours];
        Niw = new Variable?[models, regions, hours];
        var objective = new List<(Variable Variable, double Coefficient)>();

        var peakDemand = new double[models];
        for (var i = 0; i < models; i++)
        {
            for (var t = 0; t < hours; t++)
            {
                var total = 0.0;
                for (var j = 0; j < regions; j++)
                {
                    total += index.Demand[i, j, t];
                }

                peakDemand[i] = Math.Max(peakDemand[i], total);
            }
        }

        // Instances, and the flow n[t] = n[t−1] + a[t] − r[t].
        for (var j = 0; j < regions; j++)
        {
            for (var c = 0; c < configs; c++)
            {
                var config = index.Configs[c];
                var i = index.ModelOf[c];
                var current = index.CurrentCount[j, c];
                var upper = Math.Max(current, floor + (int)Math.Ceiling((peakDemand[i] + index.NiwTotal[i, j]) / config.CapacityPerInstance));
                if (config.Gpus > 0 && index.Quota.TryGetValue((j, config.Sku), out var quota))
                {
                    upper = Math.Min(upper, quota / config.Gpus);
                }

                var lower = index.ConfigsOf[i].Length == 1 && upper >= floor ? floor : 0;
                var damping = problem.MaxChangesPerHour ?? int.MaxValue;
                for (var t = 0; t < hours; t++)
                {
                    var n = Model.AddInteger(lower, upper, $"n[{index.Describe(j, c)},h{t + 1}]");
                    Instances[j, c, t] = n;
                    var add = Model.AddContinuous(0, Math.Min(upper, damping), $"a[{j},{c},{t}]");
                    var remove = Model.AddContinuous(0, Math.Min(Math.Max(upper, current), damping), $"r[{j},{c},{t}]");
                    LinearExpression previous = t == 0 ? current : Instances[j, c, t - 1];
                    Model.AddEquality(n - previous - add + remove, 0.0);
                    objective.Add((n, config.UsdPerHour));
                    objective.Add((add, config.StartupUsd + problem.ChangePenaltyUsd));
                    objective.Add((remove, problem.ChangePenaltyUsd));
                    if (problem.MaxChangesPerHour is not null)
                    {
                        (Adds ??= new Variable[regions, configs, hours])[j, c, t] = add;
                        (Removes ??= new Variable[regions, configs, hours])[j, c, t] = remove;
                    }
                }
            }
        }

        for (var i = 0; i < models; i++)
        {
            var mine = index.ConfigsOf[i];
            for (var j = 0; j < regions; j++)
            {
                for (var t = 0; t < hours; t++)
                {
                    var all = mine.Select(c => Instances[j, c, t]).ToArray();
                    if (mine.Length > 1 || all[0].LowerBound < floor)
                    {
                        Model.AddConstraint(LinearExpression.Sum(all) >= floor, $"floor[{index.Endpoint(i, j)},h{t + 1}]");
                    }

                    if (problem.MaxChangesPerHour is { } maxChanges && mine.Length > 1)
                    {
                        Model.AddConstraint(
                            LinearExpression.Sum(mine.Select(c => Adds![j, c, t]).Concat(mine.Select(c => Removes![j, c, t]))) <= maxChanges,
                            $"damping[{index.Endpoint(i, j)},h{t + 1}]");
                    }
                    else if (problem.MaxChangesPerHour is { } single)
                    {
                        Model.AddConstraint(Adds![j, mine[0], t] + Removes![j, mine[0], t] <= single);
                    }
                }
            }
        }

        // Routing: served IW ≥ forecast per (i, home j, t); capacity per (i, serving j', t) covers IW routed in plus NIW.
        var inflow = new List<Variable>[models, regions, hours];
        for (var i = 0; i < models; i++)
        {
            for (var j = 0; j < regions; j++)
            {
                for (var t = 0; t < hours; t++)
                {
                    var demand = index.Demand[i, j, t] / _scale;
                    if (demand <= 0)
                    {
                        continue;
                    }

                    var outgoing = new List<Variable>();
                    foreach (var (to, penalty) in index.RoutesFrom[j])
                    {
                        var x = Model.AddContinuous(0, demand, $"x[{index.Models[i]},{index.Regions[j]}->{index.Regions[to]},h{t + 1}]");
                        outgoing.Add(x);
                        (inflow[i, to, t] ??= []).Add(x);
                        _routes.Add((i, j, to, t, x));
                        if (penalty > 0)
                        {
                            objective.Add((x, penalty * _scale));
                        }
                    }

                    Model.AddConstraint(LinearExpression.Sum(outgoing) >= demand, $"demand[{index.Endpoint(i, j)},h{t + 1}]");
                }
            }
        }

        // Valid cuts CBC does not find itself: over all regions, model i needs at least ⌈Σ forecast / largest capacity⌉
        // instances in each hour (the LP relaxation spreads fractional instances instead), and likewise for the
        // regions a home region can route to. They close most of the integrality gap once routing is allowed.
        for (var i = 0; i < models; i++)
        {
            var mine = index.ConfigsOf[i];
            var largest = mine.Max(c => index.Configs[c].CapacityPerInstance);
            for (var t = 0; t < hours; t++)
            {
                var total = 0.0;
                for (var j = 0; j < regions; j++)
                {
                    total += index.Demand[i, j, t];
                    var reachable = index.RoutesFrom[j].Select(r => r.To).ToArray();
                    var local = RoundUp(index.Demand[i, j, t] / largest);
                    if (local > floor * reachable.Length)
                    {
                        Model.AddConstraint(LinearExpression.Sum(reachable.SelectMany(to => mine.Select(c => Instances[to, c, t]))) >= local);
                    }
                }

                var needed = RoundUp(total / largest);
                if (needed > floor * regions)
                {
                    Model.AddConstraint(LinearExpression.Sum(Enumerable.Range(0, regions).SelectMany(j => mine.Select(c => Instances[j, c, t]))) >= needed);
                }
            }
        }

        // NIW: cumulative service meets every deadline, never more than is queued.
        for (var i = 0; i < models; i++)
        {
            for (var j = 0; j < regions; j++)
            {
                var total = index.NiwTotal[i, j] / _scale;
                if (total <= 0)
                {
                    continue;
                }

                var served = new List<Variable>();
                for (var t = 0; t < hours; t++)
                {
                    var y = Model.AddContinuous(0, total, $"y[{index.Endpoint(i, j)},h{t + 1}]");
                    Niw[i, j, t] = y;
                    served.Add(y);
                    var due = index.NiwDueBy[i, j, t] / _scale;
                    if (due > 0)
                    {
                        Model.AddConstraint(LinearExpression.Sum(served) >= due, $"niw[{index.Endpoint(i, j)},h{t + 1}]");
                    }
                }

                Model.AddConstraint(LinearExpression.Sum(served) <= total);
            }
        }

        for (var i = 0; i < models; i++)
        {
            var mine = index.ConfigsOf[i];
            for (var j = 0; j < regions; j++)
            {
                for (var t = 0; t < hours; t++)
                {
                    var load = new List<Variable>();
                    if (inflow[i, j, t] is { } incoming)
                    {
                        load.AddRange(incoming);
                    }

                    if (Niw[i, j, t] is { } y)
                    {
                        load.Add(y);
                    }

                    if (load.Count == 0)
                    {
                        continue;
                    }

                    var capacity = LinearExpression.WeightedSum(
                        mine.Select(c => Instances[j, c, t]).ToArray(), mine.Select(c => index.Configs[c].CapacityPerInstance / _scale).ToArray());
                    Model.AddConstraint(LinearExpression.Sum(load) - capacity <= 0.0, $"capacity[{index.Endpoint(i, j)},h{t + 1}]");
                }
            }
        }

        // Quota per (region, SKU, hour).
        var quotaRows = index.HourlyQuota?.Select(q => (q.Key.Region, q.Key.Sku, q.Key.Hour, Gpus: q.Value))
            ?? index.Quota.SelectMany(q => Enumerable.Range(0, hours).Select(t => (q.Key.Region, q.Key.Sku, Hour: t, Gpus: q.Value)));
        foreach (var (j, sku, t, gpus) in quotaRows)
        {
            var members = Enumerable.Range(0, configs).Where(c => index.Configs[c].Sku == sku && index.Configs[c].Gpus > 0).ToArray();
            if (members.Length > 0)
            {
                var used = LinearExpression.WeightedSum(members.Select(c => Instances[j, c, t]).ToArray(), members.Select(c => (double)index.Configs[c].Gpus).ToArray());
                Model.AddConstraint(used <= gpus, $"quota[{index.Regions[j]},{sku},h{t + 1}]");
            }
        }

        Model.Minimize(LinearExpression.WeightedSum(objective.Select(o => o.Variable).ToArray(), objective.Select(o => o.Coefficient).ToArray()));
    }

    public MipModel Model { get; }

    private static double RoundUp(double ratio) => Math.Ceiling(ratio - (1e-9 * Math.Max(1.0, ratio)));

    /// <summary>n[j, c, t].</summary>
    public Variable[,,] Instances { get; }

    /// <summary>a[j, c, t], only built with damping.</summary>
    public Variable[,,]? Adds { get; private set; }

    /// <summary>r[j, c, t], only built with damping.</summary>
    public Variable[,,]? Removes { get; private set; }

    /// <summary>y[i, j, t] where NIW is queued.</summary>
    public Variable?[,,] Niw { get; }

    /// <summary>Reads a solution into a plan.</summary>
    public Plan Extract(MipResult result, PlanStatus status, string explanation)
    {
        var counts = new int[_index.Regions.Length, _index.Configs.Length, _index.Hours];
        for (var j = 0; j < counts.GetLength(0); j++)
        {
            for (var c = 0; c < counts.GetLength(1); c++)
            {
                for (var t = 0; t < counts.GetLength(2); t++)
                {
                    counts[j, c, t] = (int)Math.Round(result[Instances[j, c, t]]);
                }
            }
        }

        var routed = new List<(int, int, int, int, double)>();
        foreach (var (i, from, to, t, x) in _routes)
        {
            var load = result[x] * _scale;
            if (load > 1e-9 * _scale)
            {
                routed.Add((i, from, to, t, load));
            }
        }

        var niw = new double[_index.Models.Length, _index.Regions.Length, _index.Hours];
        for (var i = 0; i < niw.GetLength(0); i++)
        {
            for (var j = 0; j < niw.GetLength(1); j++)
            {
                for (var t = 0; t < niw.GetLength(2); t++)
                {
                    if (Niw[i, j, t] is { } y)
                    {
                        niw[i, j, t] = Math.Max(0.0, result[y] * _scale);
                    }
                }
            }
        }

        return PlanAssembler.Build(_index, counts, routed, niw, status, explanation);
    }
}
