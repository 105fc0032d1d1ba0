using System.Buffers;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SageServe.Silo.Api;

/// <summary>
/// Pushes the silo's metrics to an OpenTelemetry collector over OTLP/HTTP with the JSON encoding
/// (<c>POST {endpoint}/v1/metrics</c>, cumulative temporality) every <c>interval</c>, and once more when stopped.
/// Written here rather than taken from the OpenTelemetry SDK so the silo needs no extra packages; failures are
/// reported through the log callback and never stop the silo.
/// </summary>
public sealed class OtlpJsonExporter : IAsyncDisposable
{
    private readonly PrometheusCollector _collector;
    private readonly Uri _target;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Action<string>? _log;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _exports;

    /// <summary>Starts exporting to <paramref name="endpoint"/> (the collector's base address, e.g. <c>http://127.0.0.1:4318</c>).</summary>
    public OtlpJsonExporter(PrometheusCollector collector, Uri endpoint, TimeSpan interval, TimeProvider time, Action<string>? log)
    {
        _collector = collector;
        _target = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/metrics");
        _log = log;
        _time = time;
        _start = time.GetUtcNow();
        _loop = RunAsync(interval);
    }

    /// <summary>Successful exports so far.</summary>
    public long Exports => Interlocked.Read(ref _exports);

    /// <summary>Renders the current metrics as an OTLP <c>ExportMetricsServiceRequest</c> in JSON.</summary>
    public byte[] Render()
    {
        var now = ToUnixNanos(_time.GetUtcNow());
        var start = ToUnixNanos(_start);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("resourceMetrics");
            json.WriteStartObject();
            json.WriteStartObject("resource");
            WriteAttributes(json, [new("service.name", "sageserve-silo")]);
            json.WriteEndObject();
            json.WriteStartArray("scopeMetrics");
            json.WriteStartObject();
            json.WriteStartObject("scope");
            json.WriteString("name", SiloMetrics.MeterName);
            json.WriteEndObject();
            json.WriteStartArray("metrics");
            foreach (var group in _collector.Collect().GroupBy(p => p.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            {
                WriteMetric(json, group.Key, [.. group], start, now);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await ExportAsync(CancellationToken.None).ConfigureAwait(false);
        _http.Dispose();
        _stop.Dispose();
    }

    private static string ToUnixNanos(DateTimeOffset at) =>
        ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString(CultureInfo.InvariantCulture);

    private static void WriteAttributes(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        json.WriteStartArray("attributes");
        foreach (var (key, value) in attributes)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteStartObject("value");
            json.WriteString("stringValue", value);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteMetric(Utf8JsonWriter json, Instrument instrument, MetricPoint[] points, string start, string now)
    {
        json.WriteStartObject();
        json.WriteString("name", instrument.Name);
        json.WriteString("description", instrument.Description ?? string.Empty);
        json.WriteString("unit", instrument.Unit ?? string.Empty);
        var kind = instrument switch
        {
            Histogram<double> => "histogram",
            Counter<long> or Counter<double> or UpDownCounter<long> or UpDownCounter<double> => "sum",
            _ => "gauge",
        };
        json.WriteStartObject(kind);
        json.WriteStartArray("dataPoints");
        foreach (var point in points)
        {
            json.WriteStartObject();
            WriteAttributes(json, point.Tags);
            json.WriteString("startTimeUnixNano", start);
            json.WriteString("timeUnixNano", now);
            if (point.BucketCounts is { } counts)
            {
                json.WriteString("count", counts.Sum().ToString(CultureInfo.InvariantCulture));
                json.WriteNumber("sum", point.Value);
                json.WriteStartArray("bucketCounts");
                foreach (var c in counts)
                {
                    json.WriteStringValue(c.ToString(CultureInfo.InvariantCulture));
                }

                json.WriteEndArray();
                json.WriteStartArray("explicitBounds");
                foreach (var b in point.Bounds!)
                {
                    json.WriteNumberValue(b);
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteNumber("asDouble", point.Value);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (kind != "gauge")
        {
            json.WriteNumber("aggregationTemporality", 2); // cumulative
        }

        if (kind == "sum")
        {
            json.WriteBoolean("isMonotonic", instrument is Counter<long> or Counter<double>);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await ExportAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task ExportAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(Render());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(_target, content, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _exports);
            }
            else
            {
                _log?.Invoke($"OTLP export to {_target} answered {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _log?.Invoke($"OTLP export to {_target} failed: {e.Message}");
        }
    }
}
