using SageServe.Simulation.Reports;

namespace SageServe.Silo.Commands;

/// <summary>The terminal summary of a simulation: one row per strategy, then the books.</summary>
internal static class SummaryTable
{
    public static void Print(ExperimentReport report, TimeSpan wall, TextWriter output)
    {
        var w = report.Workload;
        output.WriteLine($"workload: {w.Source}, {w.Requests:N0} requests over {w.Days:F2} days, NIW {w.NonInteractiveShare:P0}{(w.Burst ? ", burst" : "")}; seed {report.Seed}; {wall.TotalSeconds:F1} s wall");
        output.WriteLine($"{"strategy",-10} {"GPU-h",9} {"wasted",8} {"cost $",10} {"events",7} {"IW SLO",8} {"TTFT p95",9} {"TBT p95",8} {"NIW dl",8} {"NIW q p95",10} {"running",8} {"rejected",9}");
        foreach (var s in report.Strategies)
        {
            output.WriteLine(
                $"{s.Name,-10} {s.GpuHours,9:N0} {s.WastedGpuHours,8:N1} {s.CostUsd,10:N0} {s.ScalingEvents.Total,7:N0} {s.Iw.SloAttainment,8:P2} " +
                $"{s.Iw.TtftP95S,8:F2}s {s.Iw.TbtP95S,7:F3}s {s.Niw.DeadlineAttainment,8:P2} {s.Niw.QueueDelayP95S,9:F0}s {s.Accounting.Running,8:N0} {s.Accounting.Rejected,9:N0}");
        }

        foreach (var s in report.Strategies)
        {
            var a = s.Accounting;
            output.WriteLine($"accounting {s.Name}: arrived {a.Arrived:N0} = completed {a.Completed:N0} + rejected {a.Rejected:N0} + running {a.Running:N0}");
            foreach (var (reason, n) in a.RejectedByReason)
            {
                output.WriteLine($"  rejected {n:N0}: {reason}");
            }
        }
    }
}
