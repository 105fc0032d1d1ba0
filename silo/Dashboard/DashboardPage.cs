namespace SageServe.Silo.Dashboard;

/// <summary>
/// The live dashboard: one self-contained page (inline CSS and JS, no CDN) polling <c>/v1/cluster</c> and
/// <c>/v1/plan</c> every second.
/// </summary>
public static class DashboardPage
{
    /// <summary>The HTML.</summary>
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SageServe silo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:14px/1.4 system-ui,sans-serif;margin:16px;background:#fafafa;color:#222}
 h1{font-size:20px;margin:0 0 8px}
 .cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 16px}
 .card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
 .card b{display:block;font-size:22px}
 table{border-collapse:collapse;background:#fff;margin-bottom:16px;width:100%}
 th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}
 th:first-child,td:first-child{text-align:left}
 .draining{color:#b60}
 .bar{display:inline-block;height:8px;background:#4a8;vertical-align:middle}
 #status{color:#888}
 #plan-summary{margin:4px 0 8px}
 .muted{color:#888}
</style>
</head>
<body>
<h1>SageServe live silo</h1>
<div id="status">loading…</div>
<div class="cards">
 <div class="card">routed<b id="routed">–</b></div>
 <div class="card">queued (NIW)<b id="queued">–</b></div>
 <div class="card">rejected<b id="rejected">–</b></div>
 <div class="card">completed<b id="completed">–</b></div>
 <div class="card">NIW queue depth<b id="niw">–</b></div>
 <div class="card">SLO attainment<b id="slo">–</b></div>
 <div class="card">policy<b id="policy">–</b></div>
</div>
<h2>Plan</h2>
<div id="plan-summary" class="muted">no plan yet</div>
<div id="plan"></div>
<div id="regions"></div>
<script>
"use strict";
function esc(s){return String(s).replace(/[&<>"]/g,c=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));}
function set(id,v){document.getElementById(id).textContent=v;}
function render(c){
  set("routed",c.decisions.routed);set("queued",c.decisions.queued);set("rejected",c.decisions.rejected);
  set("completed",c.decisions.completed);set("niw",c.niwQueueDepth);
  set("slo",c.sloAttainment==null?"n/a (nothing finished)":(100*c.sloAttainment).toFixed(1)+"%");set("policy",c.policy);
  set("status","uptime "+c.uptimeSeconds+" s, updated "+new Date().toLocaleTimeString());
  let h="";
  for(const r of c.regions){
    const rej=Object.values(r.rejected).reduce((a,b)=>a+b,0);
    h+="<h2>"+esc(r.name)+"</h2><p>arrived <b class='n'>"+r.arrived+"</b> · routed <b class='n'>"+r.routed+"</b> · completed <b class='n'>"+r.completed+"</b> · rejected <b class='n'>"+rej+"</b></p>";
    h+="<table><tr><th>instance</th><th>sku</th><th>state</th><th>running</th><th>waiting</th><th>pending tokens</th><th>KV used</th></tr>";
    for(const m of r.models){for(const i of m.instances){
      const kv=(100*i.kvUtilisation).toFixed(1);
      h+="<tr><td>"+esc(i.key)+"</td><td>"+esc(m.sku)+"</td><td class='"+esc(i.state)+"'>"+esc(i.state)+"</td><td>"+i.running+"</td><td>"+i.waiting+"</td><td>"+i.regionPendingTokens+"</td><td><span class='bar' style='width:"+Math.min(100,kv)+"px'></span> "+kv+"%</td></tr>";
    }}
    h+="</table>";
  }
  document.getElementById("regions").innerHTML=h;
}
function num(v){return v==null?"–":Math.round(v).toLocaleString("en-US");}
function renderPlan(p){
  const s=p.solver;
  set("plan-summary","plan #"+p.sequence+" made "+new Date(p.madeAt).toLocaleTimeString()+" ("+Math.round(p.ageSeconds)+" s ago) · "+p.mode+
    " · "+s.status+(s.solverStatus?" (CBC "+s.solverStatus+")":"")+" in "+s.solveMilliseconds.toFixed(1)+" ms"+
    (s.objectiveUsd==null?"":" · objective $"+s.objectiveUsd.toFixed(2))+" · "+p.forecaster+" q"+p.upperQuantile+", next plan within "+Math.round(p.intervalSeconds/60)+" min");
  document.getElementById("plan-summary").className="";
  let h="<table id='plan-table'><tr><th>region/model</th><th>target instances</th><th>forecast tok/min</th><th>forecast peak tok/min</th><th>actual tok/min</th><th>actual peak tok/min</th><th>spill</th></tr>";
  for(const r of p.regions){for(const m of r.models){
    const f=m.forecast,a=m.actual;
    const spill=m.spill.map(x=>esc(x.to)+" "+(100*x.fraction).toFixed(0)+"%").join(", ");
    h+="<tr title='"+esc(m.reason)+"'><td>"+esc(r.name+"/"+m.model)+"</td><td class='target'>"+m.targetInstances+"</td><td>"+(f?num(f.promptTokensPerMinute):"<span class='muted'>no history</span>")+
      "</td><td>"+(f?num(f.peakPromptTokensPerMinute):"–")+"</td><td>"+num(a.promptTokensPerMinute)+"</td><td>"+num(a.peakPromptTokensPerMinute)+"</td><td>"+spill+"</td></tr>";
  }}
  document.getElementById("plan").innerHTML=h+"</table>";
}
async function tick(){
  try{const r=await fetch("/v1/cluster",{cache:"no-store"});if(r.ok){render(await r.json());}else{set("status","cluster: HTTP "+r.status);}}
  catch(e){set("status","silo unreachable: "+e);}
  try{const r=await fetch("/v1/plan",{cache:"no-store"});if(r.ok){renderPlan(await r.json());}else if(r.status===404){set("plan-summary","no plan yet: "+(await r.json()).detail);}}
  catch(e){}
}
tick();setInterval(tick,1000);
</script>
</body>
</html>
""";
}
