using System.Globalization;
using System.Text;

namespace SageServe.Planning.Planner;

/// <summary>Turns dense planner results (instances per [j, c, t], routed and NIW load) into a <see cref="Plan"/> with explanations.</summary>
internal static class PlanAssembler
{
    /// <summary>Builds a plan. <paramref name="routed"/> and <paramref name="niw"/> are in load units (unscaled);
    /// with no routing given, every region is assumed to serve its own forecast.</summary>
    public static Plan Build(
        PlanningIndex index,
        int[,,] counts,
        IReadOnlyList<(int Model, int From, int To, int Hour, double Load)>? routed,
        double[,,]? niw,
        PlanStatus status,
        string explanation)
    {
        var (models, regions, hours) = (index.Models.Length, index.Regions.Length, index.Hours);
        var instances = new List<InstanceTarget>();
        for (var j = 0; j < regions; j++)
        {
            for (var c = 0; c < index.Configs.Length; c++)
            {
                var config = index.Configs[c];
                var before = index.CurrentCount[j, c];
                for (var t = 0; t < hours; t++)
                {
                    var now = counts[j, c, t];
                    if (now != 0 || before != 0)
                    {
                        instances.Add(new InstanceTarget(config.Model, index.Regions[j], config.Sku, config.TensorParallel, t + 1, now,
                            Math.Max(0, now - before), Math.Max(0, before - now)));
                    }

                    before = now;
                }
            }
        }

        // IW served per (i, serving j, t), and what came in from / went out to other regions.
        var servedIw = new double[models, regions, hours];
        var routedIn = new double[models, regions, hours];
        var routedOut = new double[models, regions, hours];
        var routing = new List<RoutedLoad>();
        if (routed is null)
        {
            for (var i = 0; i < models; i++)
            {
                for (var j = 0; j < regions; j++)
                {
                    for (var t = 0; t < hours; t++)
                    {
                        servedIw[i, j, t] = index.Demand[i, j, t];
                    }
                }
            }
        }
        else
        {
            foreach (var (i, from, to, t, load) in routed)
            {
                servedIw[i, to, t] += load;
                if (from != to)
                {
                    routedIn[i, to, t] += load;
                    routedOut[i, from, t] += load;
                }

                var demand = index.Demand[i, from, t];
                routing.Add(new RoutedLoad(index.Models[i], index.Regions[from], index.Regions[to], t + 1, load, demand > 0 ? Math.Min(1.0, load / demand) : 0.0));
            }
        }

        var niwList = new List<NiwAllocation>();
        if (niw is not null)
        {
            for (var i = 0; i < models; i++)
            {
                for (var j = 0; j < regions; j++)
                {
                    for (var t = 0; t < hours; t++)
                    {
                        if (niw[i, j, t] > 0)
                        {
                            niwList.Add(new NiwAllocation(index.Models[i], index.Regions[j], t + 1, niw[i, j, t]));
                        }
                    }
                }
            }
        }

        var changes = new List<string>();
        for (var i = 0; i < models; i++)
        {
            for (var j = 0; j < regions; j++)
            {
                for (var t = 0; t < hours; t++)
                {
                    Explain(index, counts, i, j, t, servedIw, routedIn, routedOut, niw, changes);
                }
            }
        }

        return new Plan
        {
            Status = status,
            Explanation = explanation,
            Hours = hours,
            Instances = instances,
            Routing = routing,
            Niw = niwList,
            Changes = changes,
        };
    }

    /// <summary>Formats a load compactly: 1.3M, 850K, 12.5.</summary>
    public static string Amount(double value) =>
        Math.Abs(value) >= 1e9 ? string.Create(CultureInfo.InvariantCulture, $"{value / 1e9:0.##}G")
        : Math.Abs(value) >= 1e6 ? string.Create(CultureInfo.InvariantCulture, $"{value / 1e6:0.##}M")
        : Math.Abs(value) >= 1e3 ? string.Create(CultureInfo.InvariantCulture, $"{value / 1e3:0.##}K")
        : string.Create(CultureInfo.InvariantCulture, $"{value:0.##}");

    private static void Explain(
        PlanningIndex index, int[,,] counts, int i, int j, int t,
        double[,,] servedIw, double[,,] routedIn, double[,,] routedOut, double[,,]? niw, List<string> changes)
    {
        var configs = index.ConfigsOf[i];
        int CountAt(int c, int hour) => hour < 0 ? index.CurrentCount[j, c] : counts[j, c, hour];
        double CapacityAt(int hour) => configs.Sum(c => CountAt(c, hour) * index.Configs[c].CapacityPerInstance);
        int TotalAt(int hour) => configs.Sum(c => CountAt(c, hour));

        var unit = index.Problem.LoadUnit;
        var niwLoad = niw?[i, j, t] ?? 0.0;
        var load = servedIw[i, j, t] + niwLoad;
        var (capBefore, capAfter) = (CapacityAt(t - 1), CapacityAt(t));
        var (totalBefore, totalAfter) = (TotalAt(t - 1), TotalAt(t));
        var why = new StringBuilder();
        why.Append(CultureInfo.InvariantCulture, $"load {Amount(load)} {unit} (IW forecast upper q {Amount(index.Demand[i, j, t])} at home");
        if (routedOut[i, j, t] > 0)
        {
            why.Append(CultureInfo.InvariantCulture, $", {Amount(routedOut[i, j, t])} routed out");
        }

        if (routedIn[i, j, t] > 0)
        {
            why.Append(CultureInfo.InvariantCulture, $", {Amount(routedIn[i, j, t])} routed in");
        }

        if (niwLoad > 0)
        {
            why.Append(CultureInfo.InvariantCulture, $", NIW {Amount(niwLoad)}");
        }

        why.Append(')');
        foreach (var c in configs)
        {
            var delta = CountAt(c, t) - CountAt(c, t - 1);
            if (delta == 0)
            {
                continue;
            }

            var head = string.Create(CultureInfo.InvariantCulture, $"{(delta > 0 ? "+" : "-")}{Math.Abs(delta)} {index.Describe(j, c)} at h{t + 1}: ");
            string reason;
            if (delta > 0 && load > capBefore + 1e-9)
            {
                reason = $"{why} exceeds capacity of {totalBefore} instances ({Amount(capBefore)}); {totalAfter} give {Amount(capAfter)}";
            }
            else if (delta > 0 && totalBefore < index.Problem.FloorPerEndpoint)
            {
                reason = $"restores the floor of {index.Problem.FloorPerEndpoint} instances ({why})";
            }
            else if (delta > 0)
            {
                reason = $"{why} already fits in {totalBefore} instances ({Amount(capBefore)}); added for a cheaper mix, damping or a later hour";
            }
            else
            {
                reason = $"{why} fits in {totalAfter} instances ({Amount(capAfter)}; floor {index.Problem.FloorPerEndpoint})";
            }

            changes.Add(head + reason);
        }
    }
}
