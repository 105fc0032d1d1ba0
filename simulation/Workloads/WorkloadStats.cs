using System.Globalization;
using System.Text;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>
/// Streaming characterisation of a workload, like the SageServe paper's: requests per hour by region, model and
/// tier; prompt/output length percentiles; burstiness per minute; regional imbalance; NIW share. Memory is
/// proportional to the number of hours and minutes spanned, not to the number of requests.
/// </summary>
public sealed class WorkloadStats
{
    private readonly SortedDictionary<string, List<long>> _byRegion = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<long>> _byModel = new(StringComparer.Ordinal);
    private readonly List<long>[] _byTier = [[], []];
    private readonly List<long> _perMinute = [];

    /// <summary>Requests seen.</summary>
    public long Total { get; private set; }

    /// <summary>NIW requests seen.</summary>
    public long NonInteractive { get; private set; }

    /// <summary>Prompt length distribution.</summary>
    public TokenHistogram PromptTokens { get; } = new();

    /// <summary>Output length distribution.</summary>
    public TokenHistogram OutputTokens { get; } = new();

    /// <summary>Share of requests that are NIW.</summary>
    public double NonInteractiveShare => Total == 0 ? 0 : (double)NonInteractive / Total;

    /// <summary>Hours spanned (index of the last non-empty hour + 1).</summary>
    public int Hours => (_perMinute.Count + 59) / 60;

    /// <summary>Requests per minute, from minute 0.</summary>
    public IReadOnlyList<long> PerMinute => _perMinute;

    /// <summary>Requests per hour by home region.</summary>
    public IReadOnlyDictionary<string, List<long>> PerHourByRegion => _byRegion;

    /// <summary>Requests per hour by model.</summary>
    public IReadOnlyDictionary<string, List<long>> PerHourByModel => _byModel;

    /// <summary>Requests per hour of one tier.</summary>
    public IReadOnlyList<long> PerHourByTier(Tier tier) => _byTier[(int)tier];

    /// <summary>Peak per-minute count over the mean per-minute count.</summary>
    public double PeakToMeanPerMinute => _perMinute.Count == 0 ? 0 : _perMinute.Max() / _perMinute.Average();

    /// <summary>Index of dispersion of per-minute counts (variance / mean; 1 for a homogeneous Poisson process).</summary>
    public double DispersionPerMinute
    {
        get
        {
            if (_perMinute.Count < 2)
            {
                return 0;
            }

            double mean = _perMinute.Average();
            double variance = _perMinute.Sum(c => (c - mean) * (c - mean)) / (_perMinute.Count - 1);
            return mean == 0 ? 0 : variance / mean;
        }
    }

    /// <summary>Share of requests homed in each region.</summary>
    public IReadOnlyDictionary<string, double> RegionShares =>
        _byRegion.ToDictionary(kv => kv.Key, kv => Total == 0 ? 0 : (double)kv.Value.Sum() / Total, StringComparer.Ordinal);

    /// <summary>Busiest region's share over the quietest region's share (1 = balanced).</summary>
    public double RegionalImbalance
    {
        get
        {
            double[] shares = [.. RegionShares.Values];
            return shares.Length == 0 || shares.Min() == 0 ? 0 : shares.Max() / shares.Min();
        }
    }

    /// <summary>Computes stats over a stream of requests.</summary>
    public static WorkloadStats Compute(IEnumerable<InferenceRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var stats = new WorkloadStats();
        foreach (InferenceRequest r in requests)
        {
            stats.Add(r);
        }

        return stats;
    }

    /// <summary>Adds one request.</summary>
    public void Add(InferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long minute = request.Arrival.Ticks / TimeSpan.TicksPerMinute;
        int hour = (int)(minute / 60);
        Increment(_perMinute, (int)minute);
        Increment(Series(_byRegion, request.HomeRegion.Name), hour);
        Increment(Series(_byModel, request.Model.Name), hour);
        Increment(_byTier[(int)request.Tier], hour);
        PromptTokens.Add(request.PromptTokens);
        OutputTokens.Add(request.OutputTokens);
        Total++;
        if (request.Tier == Tier.NonInteractive)
        {
            NonInteractive++;
        }
    }

    /// <summary>Plain-text report.</summary>
    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"requests            {Total:N0} over {Hours} h\n");
        sb.Append(c, $"NIW share           {NonInteractiveShare:P2}\n");
        sb.Append(c, $"prompt tokens       mean {PromptTokens.Mean:F0}  p50 {PromptTokens.Percentile(0.5)}  p90 {PromptTokens.Percentile(0.9)}  p99 {PromptTokens.Percentile(0.99)}\n");
        sb.Append(c, $"output tokens       mean {OutputTokens.Mean:F0}  p50 {OutputTokens.Percentile(0.5)}  p90 {OutputTokens.Percentile(0.9)}  p99 {OutputTokens.Percentile(0.99)}\n");
        sb.Append(c, $"per minute          mean {(_perMinute.Count == 0 ? 0 : _perMinute.Average()):F1}  peak {(_perMinute.Count == 0 ? 0 : _perMinute.Max())}  peak/mean {PeakToMeanPerMinute:F2}  dispersion {DispersionPerMinute:F2}\n");
        sb.Append(c, $"regional imbalance  {RegionalImbalance:F2} (max share / min share)\n");
        foreach ((string region, double share) in RegionShares)
        {
            sb.Append(c, $"  region {region,-12} {share:P1}\n");
        }

        foreach ((string model, List<long> hours) in _byModel)
        {
            sb.Append(c, $"  model  {model,-12} {(Total == 0 ? 0 : (double)hours.Sum() / Total):P1}\n");
        }

        sb.Append("\nhour  total");
        foreach (string region in _byRegion.Keys)
        {
            sb.Append(c, $" {region,10}");
        }

        sb.Append("         IW        NIW\n");
        for (int h = 0; h < Hours; h++)
        {
            long total = _perMinute.Skip(h * 60).Take(60).Sum();
            sb.Append(c, $"{h,4} {total,6}");
            foreach (List<long> series in _byRegion.Values)
            {
                sb.Append(c, $" {At(series, h),10}");
            }

            sb.Append(c, $" {At(_byTier[0], h),10} {At(_byTier[1], h),10}\n");
        }

        return sb.ToString();
    }

    /// <summary>Self-contained HTML page with inline SVG charts (no scripts, no external resources).</summary>
    public string ToHtml(string title = "Workload characterisation") => WorkloadStatsHtml.Render(this, title);

    internal static long At(List<long> series, int index) => index < series.Count ? series[index] : 0;

    private static List<long> Series(SortedDictionary<string, List<long>> map, string key)
    {
        if (!map.TryGetValue(key, out List<long>? series))
        {
            series = [];
            map[key] = series;
        }

        return series;
    }

    private static void Increment(List<long> series, int index)
    {
        while (series.Count <= index)
        {
            series.Add(0);
        }

        series[index]++;
    }
}
