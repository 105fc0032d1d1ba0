namespace SageServe.Silo.Dashboard;

/// <summary>
/// The live dashboard: one self-contained page (inline CSS and JS, no CDN) polling <c>/v1/cluster</c>,
/// <c>/v1/cluster/membership</c>, <c>/v1/plan</c> and <c>/v1/vms</c> every second; each panel shows its own
/// endpoint's error and keeps its last good content.
/// </summary>
public static class DashboardPage
{
    /// <summary>The HTML.</summary>
    public const string Html = Head + DashboardScript.Source + Tail;

    private const string Head = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SageServe silo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:14px/1.4 system-ui,sans-serif;margin:16px;background:#fafafa;color:#222}
 h1{font-size:20px;margin:0 0 8px}
 h2{font-size:17px;margin:18px 0 6px}
 h3{font-size:15px;margin:10px 0 4px}
 .cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 16px}
 .card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
 .card b{display:block;font-size:22px}
 table{border-collapse:collapse;background:#fff;margin-bottom:12px;width:100%}
 th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}
 th:first-child,td:first-child{text-align:left}
 td.text{text-align:left}
 .draining{color:#b60}
 .offline{color:#a00}
 .bar{display:inline-block;height:8px;background:#4a8;vertical-align:middle}
 #status{color:#888}
 #plan-summary,#membership-summary,#vm-summary{margin:4px 0 8px}
 .muted{color:#888}
 .error{background:#fee;border:1px solid #e99;color:#900;padding:4px 8px;margin:4px 0;border-radius:4px}
 .badge{display:inline-block;padding:0 6px;border-radius:3px;font-weight:600}
 .state-ready{background:#dfd;color:#064}
 .state-loading{background:#dee9ff;color:#035}
 .state-draining{background:#ffe6c8;color:#940}
 .state-empty{background:#eee;color:#666}
 .status-Active{background:#dfd;color:#064}
 .status-Dead{background:#fdd;color:#900}
 .status-Joining{background:#dee9ff;color:#035}
 .status-ShuttingDown{background:#ffe6c8;color:#940}
 .no{color:#a00;font-weight:600}
</style>
</head>
<body>
<h1>SageServe live silo</h1>
<div id="status">loading…</div>
<div id="overview-error" class="error" hidden></div>
<div class="cards">
 <div class="card">routed<b id="routed">–</b></div>
 <div class="card">queued (NIW)<b id="queued">–</b></div>
 <div class="card">rejected<b id="rejected">–</b></div>
 <div class="card">completed<b id="completed">–</b></div>
 <div class="card">NIW queue depth<b id="niw">–</b></div>
 <div class="card">SLO attainment<b id="slo">–</b></div>
 <div class="card">policy<b id="policy">–</b></div>
</div>
<section id="membership-panel">
<h2>Cluster</h2>
<div id="membership-error" class="error" hidden></div>
<div id="membership-summary" class="muted">loading…</div>
<div id="membership"></div>
</section>
<section id="routing-panel">
<h2>Routing</h2>
<div class="muted">Where each region's interactive traffic goes: the share the plan keeps at home and spills to other regions, and, within the region, each instance's share of the requests in flight.</div>
<div id="routing"></div>
</section>
<section id="plan-panel">
<h2>Plan</h2>
<div id="plan-error" class="error" hidden></div>
<div id="plan-summary" class="muted">no plan yet</div>
<div id="plan"></div>
</section>
<section id="vms-panel">
<h2>VMs</h2>
<div id="vms-error" class="error" hidden></div>
<div id="vm-summary" class="muted">loading…</div>
<div id="vms"></div>
</section>
<section id="regions-panel">
<h2>Instances</h2>
<div id="regions"></div>
</section>
<script>

""";

    private const string Tail = """

</script>
</body>
</html>
""";
}
