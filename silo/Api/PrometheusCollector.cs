using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace SageServe.Silo.Api;

/// <summary>
/// Aggregates the measurements of one meter with a <see cref="MeterListener"/> (counters summed, histograms bucketed,
/// gauges observed at scrape) and renders them in the Prometheus text exposition format (version 0.0.4).
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    private static readonly double[] s_bounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();
    private readonly ConcurrentDictionary<(string K0, object? V0, string? K1, object? V1), string> _labels = new();
    private readonly object _scrapeGate = new();

    /// <summary>Starts listening to <paramref name="meter"/> (that instance only: silos sharing a process stay apart).</summary>
    public PrometheusCollector(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    /// <summary>Renders every series (observing the gauges first).</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            _listener.RecordObservableInstruments();
        }

        var text = new StringBuilder();
        foreach (var group in _series.OrderBy(s => s.Key.Instrument.Name, StringComparer.Ordinal).ThenBy(s => s.Key.Labels, StringComparer.Ordinal)
                     .GroupBy(s => s.Key.Instrument))
        {
            var instrument = group.Key;
            var name = MetricName(instrument);
            var type = instrument switch
            {
                Histogram<double> => "histogram",
                Counter<long> or Counter<double> or ObservableCounter<long> => "counter",
                _ => "gauge",
            };
            if (instrument.Description is { Length: > 0 } help)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (key, series) in group)
            {
                series.Render(text, name, key.Labels, type == "histogram");
            }
        }

        return text.ToString();
    }

    /// <summary>Every series now (observing the gauges first), for exporters other than Prometheus text.</summary>
    public IReadOnlyList<MetricPoint> Collect()
    {
        lock (_scrapeGate)
        {
            _listener.RecordObservableInstruments();
        }

        return [.. _series.Select(p => p.Value.Point(p.Key.Instrument))];
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The hot path (every route call): no tags, or one or two tags whose rendered labels are cached.
        var labels = tags.Length switch
        {
            0 => string.Empty,
            1 => _labels.GetOrAdd((tags[0].Key, tags[0].Value, null, null), static t => Labels([new(t.K0, t.V0)])),
            2 => _labels.GetOrAdd((tags[0].Key, tags[0].Value, tags[1].Key, tags[1].Value), static t => Labels([new(t.K0, t.V0), new(t.K1!, t.V1)])),
            _ => Labels(tags),
        };
        if (!_series.TryGetValue((instrument, labels), out var series))
        {
            var tagArray = new KeyValuePair<string, string>[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                tagArray[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
            }

            series = _series.GetOrAdd((instrument, labels), new Series(instrument is Histogram<double> ? s_bounds : null, tagArray));
        }

        switch (instrument)
        {
            case ObservableGauge<long> or ObservableGauge<double> or ObservableGauge<int>:
                series.Set(v);
                break;
            default:
                series.Add(v);
                break;
        }
    }

    private static string MetricName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        return instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal) ? name + "_seconds"
            : instrument is Counter<long> && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total"
            : name;
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            parts.Add($"{tag.Key}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    /// <summary>One labelled series: a sum (counter), a value (gauge) or buckets (histogram).</summary>
    private sealed class Series(double[]? bounds, KeyValuePair<string, string>[] tags)
    {
        public MetricPoint Point(Instrument instrument)
        {
            long[]? counts = null;
            if (_buckets is not null)
            {
                counts = new long[_buckets.Length];
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] = Interlocked.Read(ref _buckets[i]);
                }
            }

            return new MetricPoint(instrument, tags, Volatile.Read(ref _sum), counts, bounds);
        }

        private readonly long[]? _buckets = bounds is null ? null : new long[bounds.Length + 1];
        private double _sum;

        // Lock-free: every route call lands here from many threads. The count is the sum of the buckets, so a scrape is
        // always self-consistent; the sum may be a moment behind.
        public void Add(double value)
        {
            double seen;
            do
            {
                seen = Volatile.Read(ref _sum);
            }
            while (Interlocked.CompareExchange(ref _sum, seen + value, seen) != seen);

            if (_buckets is not null)
            {
                var i = Array.BinarySearch(bounds!, value);
                Interlocked.Increment(ref _buckets[i < 0 ? ~i : i]);
            }
        }

        public void Set(double value) => Interlocked.Exchange(ref _sum, value);

        public void Render(StringBuilder text, string name, string labels, bool histogram)
        {
            if (!histogram)
            {
                Line(text, name, labels, null, Volatile.Read(ref _sum));
                return;
            }

            long cumulative = 0;
            for (var i = 0; i < bounds!.Length; i++)
            {
                cumulative += Interlocked.Read(ref _buckets![i]);
                Line(text, name + "_bucket", labels, $"le=\"{bounds[i].ToString("R", CultureInfo.InvariantCulture)}\"", cumulative);
            }

            cumulative += Interlocked.Read(ref _buckets![^1]);
            Line(text, name + "_bucket", labels, "le=\"+Inf\"", cumulative);
            Line(text, name + "_sum", labels, null, Volatile.Read(ref _sum));
            Line(text, name + "_count", labels, null, cumulative);
        }

        private static void Line(StringBuilder text, string name, string labels, string? extra, double value)
        {
            text.Append(name);
            var all = string.Join(',', new[] { labels, extra }.Where(s => !string.IsNullOrEmpty(s)));
            if (all.Length > 0)
            {
                text.Append('{').Append(all).Append('}');
            }

            text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}

/// <summary>One series of an instrument at collection time.</summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Value">Counter total, gauge value, or histogram sum.</param>
/// <param name="BucketCounts">Histogram: count per bucket (not cumulative; one more than <paramref name="Bounds"/>).</param>
/// <param name="Bounds">Histogram: upper bounds.</param>
public sealed record MetricPoint(Instrument Instrument, IReadOnlyList<KeyValuePair<string, string>> Tags, double Value, long[]? BucketCounts, IReadOnlyList<double>? Bounds);
