using System.Globalization;
using System.Text;

namespace SageServe.Simulation.Reports;

/// <summary>
/// The CSV files of a report: wide time series (one column per series key, union over strategies, ordinal order;
/// empty cell where a strategy has no such series or it is shorter) and one headline row per strategy.
/// </summary>
internal static class ReportCsv
{
    private static readonly string[] s_strategyColumns =
    [
        "strategy", "gpu_hours", "wasted_gpu_hours", "cost_usd",
        "scaling_total", "scaling_new_vms", "scaling_reclaims", "scaling_swaps", "scaling_releases",
        "iw_requests", "iw_slo_attainment",
        "iw_ttft_p50_s", "iw_ttft_p95_s", "iw_ttft_p99_s",
        "iw_tbt_p50_s", "iw_tbt_p95_s", "iw_tbt_p99_s",
        "iw_e2e_p50_s", "iw_e2e_p95_s", "iw_e2e_p99_s",
        "niw_requests", "niw_deadline_attainment", "niw_missed_deadlines",
        "niw_queue_delay_p50_s", "niw_queue_delay_p95_s", "niw_queue_delay_p99_s", "niw_completion_p95_s",
        "arrived", "completed", "rejected", "running",
    ];

    /// <summary>Writes every CSV file into <paramref name="directory"/> (created if missing); returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(ExperimentReport canonical, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Write(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }

        Write(ReportWriter.InstancesCsvFileName, Series(canonical, s => s.Series.Instances, v => v.ToString(CultureInfo.InvariantCulture)));
        Write(ReportWriter.GpusCsvFileName, Series(canonical, s => s.Series.Gpus, v => v.ToString(CultureInfo.InvariantCulture)));
        Write(ReportWriter.NiwQueueCsvFileName, Series(canonical, s => s.Series.NiwQueueDepth, v => v.ToString(CultureInfo.InvariantCulture)));
        Write(ReportWriter.ArrivalsCsvFileName, Series(canonical, s => s.Series.Arrivals, v => v.ToString(CultureInfo.InvariantCulture)));
        Write(ReportWriter.StrategiesCsvFileName, Strategies(canonical));
        return written;
    }

    internal static string Series<T>(
        ExperimentReport canonical,
        Func<StrategyReport, IReadOnlyDictionary<string, IReadOnlyList<T>>> select,
        Func<T, string> format)
    {
        var keys = canonical.Strategies.SelectMany(s => select(s).Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var sb = new StringBuilder();
        AppendRow(sb, ["strategy", "bucket_start_s", .. keys]);
        foreach (var strategy in canonical.Strategies)
        {
            var series = select(strategy);
            var length = series.Values.Select(v => v.Count).DefaultIfEmpty(0).Max();
            for (var i = 0; i < length; i++)
            {
                var row = new string[keys.Length + 2];
                row[0] = strategy.Name;
                row[1] = ((long)i * strategy.Series.BucketSeconds).ToString(CultureInfo.InvariantCulture);
                for (var k = 0; k < keys.Length; k++)
                {
                    row[k + 2] = series.TryGetValue(keys[k], out var values) && i < values.Count ? format(values[i]) : string.Empty;
                }

                AppendRow(sb, row);
            }
        }

        return sb.ToString();
    }

    internal static string Strategies(ExperimentReport canonical)
    {
        var sb = new StringBuilder();
        AppendRow(sb, s_strategyColumns);
        foreach (var s in canonical.Strategies)
        {
            var iw = s.Iw;
            var niw = s.Niw;
            var a = s.Accounting;
            AppendRow(sb,
            [
                s.Name, D(s.GpuHours), D(s.WastedGpuHours), D(s.CostUsd),
                L(s.ScalingEvents.Total), L(s.ScalingEvents.NewVms), L(s.ScalingEvents.Reclaims), L(s.ScalingEvents.Swaps), L(s.ScalingEvents.Releases),
                L(iw.Requests), D(iw.SloAttainment),
                D(iw.TtftP50S), D(iw.TtftP95S), D(iw.TtftP99S),
                D(iw.TbtP50S), D(iw.TbtP95S), D(iw.TbtP99S),
                D(iw.E2eP50S), D(iw.E2eP95S), D(iw.E2eP99S),
                L(niw.Requests), D(niw.DeadlineAttainment), L(niw.MissedDeadlines),
                D(niw.QueueDelayP50S), D(niw.QueueDelayP95S), D(niw.QueueDelayP99S), D(niw.CompletionP95S),
                L(a.Arrived), L(a.Completed), L(a.Rejected), L(a.Running),
            ]);
        }

        return sb.ToString();
    }

    private static string D(double value) => ReportNumbers.Csv(value);

    private static string L(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AppendRow(StringBuilder sb, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            AppendCell(sb, cells[i]);
        }

        sb.Append('\n');
    }

    // RFC 4180 quoting: names come from user traces and may hold commas, quotes or newlines.
    private static void AppendCell(StringBuilder sb, string cell)
    {
        if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            sb.Append(cell);
            return;
        }

        sb.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
