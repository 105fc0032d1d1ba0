using System.Globalization;

namespace SageServe.Planning.Planner;

/// <summary>Applies a <see cref="PostProcessing"/> mode to planned instance targets (pure functions).</summary>
public static class PlanPostProcessor
{
    /// <summary>
    /// The instances applied per hour for one (model, region, configuration) whose plan says
    /// <paramref name="targets"/>[h − 1] for hour h and which runs <paramref name="current"/> now.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The mode is unknown.</exception>
    public static int[] Apply(PostProcessing mode, int current, IReadOnlyList<int> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var result = new int[targets.Count];
        if (targets.Count == 0)
        {
            return result;
        }

        switch (mode)
        {
            case PostProcessing.Immediate:
                for (var t = 0; t < result.Length; t++)
                {
                    result[t] = targets[t];
                }

                break;
            case PostProcessing.DelayChanges:
                for (var t = 0; t < result.Length; t++)
                {
                    result[t] = t == 0 ? current : targets[t - 1];
                }

                break;
            case PostProcessing.KeepMaximum:
                Array.Fill(result, targets.Max());
                break;
            case PostProcessing.KeepMinimum:
                Array.Fill(result, targets.Min());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown PostProcessing mode");
        }

        return result;
    }

    /// <summary>
    /// <paramref name="plan"/> with every (model, region, configuration) series post-processed by
    /// <paramref name="mode"/>; adds/removes and change lines are recomputed, routing and NIW are kept as planned.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The mode is unknown.</exception>
    public static Plan Apply(Plan plan, PostProcessing mode)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (mode == PostProcessing.Immediate)
        {
            return plan;
        }

        var instances = new List<InstanceTarget>();
        var changes = new List<string>();
        foreach (var series in plan.Instances.GroupBy(e => (e.Model, e.Region, e.Sku, e.TensorParallel)))
        {
            var targets = new int[plan.Hours];
            var current = 0;
            foreach (var entry in series)
            {
                targets[entry.Hour - 1] = entry.Count;
                if (entry.Hour == 1)
                {
                    current = entry.Count - entry.Added + entry.Removed;
                }
            }

            var applied = Apply(mode, current, targets);
            var before = current;
            for (var t = 0; t < applied.Length; t++)
            {
                var now = applied[t];
                var (model, region, sku, tp) = series.Key;
                if (now != 0 || before != 0)
                {
                    instances.Add(new InstanceTarget(model, region, sku, tp, t + 1, now, Math.Max(0, now - before), Math.Max(0, before - now)));
                }

                if (now != before)
                {
                    changes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{(now > before ? "+" : "-")}{Math.Abs(now - before)} {model}@{region} {sku}/tp{tp} at h{t + 1}: {mode} of planned {string.Join(",", targets)} (now {current})"));
                }

                before = now;
            }
        }

        return plan with
        {
            Instances = instances,
            Changes = changes,
            Explanation = $"{plan.Explanation}; post-processed: {mode}",
        };
    }
}
