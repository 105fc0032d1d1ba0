using System.Diagnostics.Metrics;

namespace SageServe.Silo.Api;

/// <summary>The silo's instruments (meter <see cref="MeterName"/>); exported on <c>/metrics</c> and, optionally, OTLP.</summary>
public sealed class SiloMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SageServe.Silo";

    private readonly Meter _meter;
    private readonly Histogram<double> _routeSeconds;
    private readonly Counter<long> _decisions;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _completions;
    private readonly Histogram<double> _ttftSeconds;
    private readonly Histogram<double> _endToEndSeconds;
    private readonly Histogram<double> _planSolveSeconds;
    private long _finished;
    private long _metSlo;
    private long _niwQueueDepth;

    /// <summary>Creates the instruments.</summary>
    public SiloMetrics()
    {
        _meter = new Meter(MeterName);
        _routeSeconds = _meter.CreateHistogram<double>("sageserve.route.duration", "s", "Time to decide a route (and submit an interactive request).");
        _decisions = _meter.CreateCounter<long>("sageserve.route.decisions", description: "Routing decisions by outcome.");
        _inFlight = _meter.CreateUpDownCounter<long>("sageserve.http.requests_in_flight", description: "HTTP requests being served.");
        _completions = _meter.CreateCounter<long>("sageserve.requests.completed", description: "Requests a worker finished, by tier and whether they met their SLO.");
        _ttftSeconds = _meter.CreateHistogram<double>("sageserve.request.ttft", "s", "Time to first token of finished requests (arrival at the silo to first token).");
        _endToEndSeconds = _meter.CreateHistogram<double>("sageserve.request.e2e", "s", "Arrival to last token of finished requests.");
        _planSolveSeconds = _meter.CreateHistogram<double>("sageserve.planner.solve.duration", "s", "Time the planner spent building and solving each plan (ILP on CBC, or the reference planner), by mode and status.");
        _meter.CreateObservableGauge("sageserve.niw.queue_depth", () => Interlocked.Read(ref _niwQueueDepth), description: "Non-interactive jobs accepted and not finished.");
        _scalingActions = _meter.CreateCounter<long>("sageserve.scaling.actions", description: "Scaling actions the regions took (reclaim, swap, new VM, release, denied, …), by region, model and action.");
    }

    private readonly Counter<long> _scalingActions;

    /// <summary>Records one scaling action a region took.</summary>
    public void RecordScaling(string region, string model, string action) =>
        _scalingActions.Add(1, new KeyValuePair<string, object?>("region", region), new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("action", action));

    /// <summary>Publishes cluster gauges: active silos in this silo's view, and grain calls to and from other silos.</summary>
    public void ObserveCluster(Func<int> activeSilos, Func<long> remoteCallsSent, Func<long> remoteCallsReceived)
    {
        _meter.CreateObservableGauge("sageserve.cluster.active_silos", activeSilos, description: "Active silos in this silo's membership view.");
        _meter.CreateObservableCounter("sageserve.cluster.remote_calls_sent", remoteCallsSent, description: "Grain calls this silo sent to other silos.");
        _meter.CreateObservableCounter("sageserve.cluster.remote_calls_received", remoteCallsReceived, description: "Grain calls other silos sent to this silo.");
    }

    /// <summary>The meter holding the instruments.</summary>
    public Meter Meter => _meter;

    /// <summary>Decisions so far by outcome (for the dashboard).</summary>
    public long Routed => Interlocked.Read(ref _routed);

    /// <summary>Rejections so far.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>NIW jobs queued so far.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Requests finished so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Jobs accepted and not finished.</summary>
    public long NiwQueueDepth => Interlocked.Read(ref _niwQueueDepth);

    private long _routed;
    private long _rejected;
    private long _queued;
    private long _completed;

    /// <summary>Records one decision and how long it took.</summary>
    public void RecordDecision(string outcome, TimeSpan elapsed)
    {
        _routeSeconds.Record(elapsed.TotalSeconds);
        _decisions.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        switch (outcome)
        {
            case "routed":
                Interlocked.Increment(ref _routed);
                break;
            case "rejected":
                Interlocked.Increment(ref _rejected);
                break;
            default:
                Interlocked.Increment(ref _queued);
                break;
        }
    }

    /// <summary>Finished (completed or rejected) requests that met their SLO, out of all finished; null before any.</summary>
    public double? SloAttainment
    {
        get
        {
            var finished = Interlocked.Read(ref _finished);
            return finished == 0 ? null : (double)Interlocked.Read(ref _metSlo) / finished;
        }
    }

    /// <summary>A worker finished a request.</summary>
    public void RecordCompletion(string tier, TimeSpan timeToFirstToken, TimeSpan endToEnd, bool metSlo)
    {
        Interlocked.Increment(ref _completed);
        _completions.Add(1, new KeyValuePair<string, object?>("tier", tier), new KeyValuePair<string, object?>("slo_met", metSlo ? "true" : "false"));
        _ttftSeconds.Record(timeToFirstToken.TotalSeconds, new KeyValuePair<string, object?>("tier", tier));
        _endToEndSeconds.Record(endToEnd.TotalSeconds, new KeyValuePair<string, object?>("tier", tier));
        RecordFinished(tier, metSlo);
    }

    /// <summary>A request finished (completed or was refused) and did or did not meet its SLO.</summary>
    public void RecordFinished(string tier, bool metSlo)
    {
        Interlocked.Increment(ref _finished);
        if (metSlo)
        {
            Interlocked.Increment(ref _metSlo);
        }
    }

    /// <summary>The planner made a plan in <paramref name="solveTime"/> with formulation <paramref name="mode"/>, ending <paramref name="status"/>.</summary>
    public void RecordPlanSolve(string mode, string status, TimeSpan solveTime) =>
        _planSolveSeconds.Record(solveTime.TotalSeconds, new KeyValuePair<string, object?>("mode", mode), new KeyValuePair<string, object?>("status", status));

    /// <summary>An HTTP request started (+1) or ended (-1).</summary>
    public void InFlight(int delta) => _inFlight.Add(delta);

    /// <summary>Moves the NIW queue depth.</summary>
    public void NiwQueueDepthChanged(int delta) => Interlocked.Add(ref _niwQueueDepth, delta);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
