namespace SageServe.Simulation.Reports;

/// <summary>
/// Puts a report in its canonical order so equal reports print identically whatever order the runner filled
/// them in: dictionary keys sorted ordinally, per-region and per-model slices sorted by name. Strategies keep the
/// order they were run in (it is meaningful: the first is the baseline).
/// </summary>
internal static class ReportCanonicalizer
{
    public static ExperimentReport Canonicalize(ExperimentReport report) =>
        report with { Strategies = [.. report.Strategies.Select(Canonicalize)] };

    private static StrategyReport Canonicalize(StrategyReport s) => s with
    {
        Accounting = Canonicalize(s.Accounting),
        ByRegion = Canonicalize(s.ByRegion),
        ByModel = Canonicalize(s.ByModel),
        Series = s.Series with
        {
            Instances = Sorted(s.Series.Instances),
            Gpus = Sorted(s.Series.Gpus),
            NiwQueueDepth = Sorted(s.Series.NiwQueueDepth),
            Arrivals = Sorted(s.Series.Arrivals),
        },
        Latency = s.Latency with { Series = Sorted(s.Latency.Series) },
    };

    private static AccountingSummary Canonicalize(AccountingSummary a) =>
        a with { RejectedByReason = Sorted(a.RejectedByReason) };

    private static SliceSummary[] Canonicalize(IReadOnlyList<SliceSummary> slices) =>
        [.. slices.OrderBy(x => x.Name, StringComparer.Ordinal).Select(x => x with { Accounting = Canonicalize(x.Accounting) })];

    private static SortedDictionary<string, T> Sorted<T>(IReadOnlyDictionary<string, T> source)
    {
        var sorted = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            sorted.Add(key, value);
        }

        return sorted;
    }
}
