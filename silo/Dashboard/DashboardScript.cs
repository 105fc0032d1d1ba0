namespace SageServe.Silo.Dashboard;

/// <summary>
/// The dashboard's script. Every value from JSON reaches the page as a text node or an attribute value set through
/// the DOM (never through <c>innerHTML</c>), so a model or region name cannot inject markup.
/// </summary>
internal static class DashboardScript
{
    /// <summary>The JavaScript, inlined into <see cref="DashboardPage.Html"/>.</summary>
    public const string Source = """
"use strict";
const $=id=>document.getElementById(id);
function el(tag,attrs,...kids){
  const e=document.createElement(tag);
  for(const [k,v] of Object.entries(attrs||{})){
    if(v==null){continue;}
    if(k==="class"){e.className=String(v);}else if(k==="width"){e.style.width=Math.max(0,Math.min(100,Number(v)||0))+"px";}else{e.setAttribute(k,String(v));}
  }
  for(const kid of kids.flat()){if(kid!=null){e.append(kid instanceof Node?kid:String(kid));}}
  return e;
}
function table(attrs,headers,rows){return el("table",attrs,el("tr",null,headers.map(h=>el("th",null,h))),rows);}
function set(id,v){$(id).textContent=String(v);}
function num(v){return v==null?"–":Math.round(v).toLocaleString("en-US");}
function pct(x){return (100*x).toFixed(0)+"%";}
function ago(t){const s=Math.round((Date.now()-new Date(t).getTime())/1000);return new Date(t).toLocaleTimeString()+" ("+s+" s ago)";}
const latest={overview:null,plan:null};

function renderOverview(c){
  latest.overview=c;
  set("routed",c.decisions.routed);set("queued",c.decisions.queued);set("rejected",c.decisions.rejected);
  set("completed",c.decisions.completed);set("niw",c.niwQueueDepth);
  set("slo",c.sloAttainment==null?"n/a (nothing finished)":(100*c.sloAttainment).toFixed(1)+"%");set("policy",c.policy);
  set("status","uptime "+c.uptimeSeconds+" s, updated "+new Date().toLocaleTimeString());
  const parts=[];
  for(const r of c.regions){
    const rej=Object.values(r.rejected).reduce((a,b)=>a+b,0);
    parts.push(el("h3",null,r.name),el("p",null,"arrived ",el("b",{class:"n"},r.arrived)," · routed ",el("b",{class:"n"},r.routed),
      " · completed ",el("b",{class:"n"},r.completed)," · rejected ",el("b",{class:"n"},rej)));
    const rows=[];
    for(const m of r.models){
      const shares=inFlightShares(m);
      m.instances.forEach((i,n)=>{
        const kv=(100*i.kvUtilisation).toFixed(1);
        rows.push(el("tr",null,el("td",null,i.key),el("td",null,m.sku),el("td",{class:i.state},i.state),el("td",null,i.running),el("td",null,i.waiting),
          el("td",null,shares[n]==null?"–":pct(shares[n])),el("td",null,i.regionPendingTokens),el("td",null,el("span",{class:"bar",width:kv})," "+kv+"%")));
      });
    }
    parts.push(table(null,["instance","sku","state","running","waiting","in-flight share","pending tokens","KV used"],rows));
  }
  $("regions").replaceChildren(...parts);
  renderRouting();
}

// Share of the model's requests in flight (running + waiting) on each of its instances in the region: where the
// router has been sending this region's traffic. Null when nothing is in flight.
function inFlightShares(m){
  const loads=m.instances.map(i=>i.running+i.waiting);
  const total=loads.reduce((a,b)=>a+b,0);
  return loads.map(l=>total===0?null:l/total);
}

function renderRouting(){
  const c=latest.overview,p=latest.plan;
  if(!c){return;}
  const planned=new Map();
  if(p){for(const r of p.regions){for(const m of r.models){planned.set(r.name+"/"+m.model,m.spill);}}}
  const rows=[];
  for(const r of c.regions){for(const m of r.models){
    const id=r.name+"/"+m.name;
    const spill=planned.get(id);
    const away=spill?spill.reduce((a,x)=>a+x.fraction,0):0;
    const shares=inFlightShares(m);
    const within=shares.every(s=>s==null)?el("span",{class:"muted"},"idle"):
      m.instances.map((i,n)=>i.key.slice(r.name.length+1)+" "+pct(shares[n])).join(" · ");
    rows.push(el("tr",{"data-route":id},el("td",null,id),
      el("td",{class:"home"},spill?pct(Math.max(0,1-away)):"100%"),
      el("td",{class:"text spill"},spill==null?el("span",{class:"muted"},"no plan yet"):spill.length===0?"–":spill.map(x=>x.to+" "+pct(x.fraction)).join(", ")),
      el("td",{class:"text within"},within)));
  }}
  $("routing").replaceChildren(table({id:"routing-table"},["region/model","served at home","spilled to (plan)","within region (in flight)"],rows));
}

function renderPlan(p){
  latest.plan=p;
  const s=p.solver;
  set("plan-summary","plan #"+p.sequence+" made "+new Date(p.madeAt).toLocaleTimeString()+" ("+Math.round(p.ageSeconds)+" s ago) · "+p.mode+
    " · "+s.status+(s.solverStatus?" (CBC "+s.solverStatus+")":"")+" in "+s.solveMilliseconds.toFixed(1)+" ms"+
    (s.objectiveUsd==null?"":" · objective $"+s.objectiveUsd.toFixed(2))+" · "+p.forecaster+" q"+p.upperQuantile+", next plan within "+Math.round(p.intervalSeconds/60)+" min");
  $("plan-summary").className="";
  const rows=[];
  for(const r of p.regions){for(const m of r.models){
    const f=m.forecast,a=m.actual;
    const spill=m.spill.map(x=>x.to+" "+pct(x.fraction)).join(", ");
    rows.push(el("tr",{title:m.reason},el("td",null,r.name+"/"+m.model),el("td",{class:"target"},m.targetInstances),
      el("td",null,f?num(f.promptTokensPerMinute):el("span",{class:"muted"},"no history")),el("td",null,f?num(f.peakPromptTokensPerMinute):"–"),
      el("td",null,num(a.promptTokensPerMinute)),el("td",null,num(a.peakPromptTokensPerMinute)),el("td",null,spill)));
  }}
  $("plan").replaceChildren(table({id:"plan-table"},["region/model","target instances","forecast tok/min","forecast peak tok/min","actual tok/min","actual peak tok/min","spill"],rows));
  renderRouting();
}
function noPlan(problem){
  latest.plan=null;
  set("plan-summary","no plan yet: "+(problem&&problem.detail||"the planner has not run"));
  $("plan").replaceChildren();
  renderRouting();
}

const vmStates=["ready","loading","draining","empty"];
function renderVms(list){
  const counts=new Map(vmStates.map(s=>[s,0]));
  const byRegion=new Map();
  for(const v of list.vms){
    counts.set(v.state,(counts.get(v.state)||0)+1);
    if(!byRegion.has(v.region)){byRegion.set(v.region,[]);}
    byRegion.get(v.region).push(v);
  }
  const summary=[el("b",{id:"vm-total"},list.vms.length)," VMs:"];
  for(const [s,n] of counts){summary.push(" ",el("span",{class:"badge state-"+s},el("span",{id:"vm-count-"+s},n)," "+s));}
  summary.push(" · native engines: ",list.nativeEngines==null?"none (simulated workers)":el("b",{id:"native-engines"},list.nativeEngines));
  $("vm-summary").replaceChildren(...summary);
  $("vm-summary").className="";
  const parts=[];
  for(const [region,vms] of byRegion){
    const ready=vms.filter(v=>v.state==="ready").length;
    parts.push(el("h3",null,region+" ",el("span",{class:"muted"},ready+"/"+vms.length+" ready")));
    parts.push(table({class:"vm-table"},["vm","state","model","instance","running","queued","pending tokens","KV used","completed","rejected","last operation"],
      vms.map(v=>{
        const kv=(100*v.kvUtilisation).toFixed(1);
        return el("tr",{"data-vm":v.key},el("td",null,v.key),el("td",{class:"text"},el("span",{class:"badge vm-state state-"+v.state},v.state)),
          el("td",{class:"text"},v.model??"–"),el("td",{class:"text"},v.instance??"–"),el("td",null,v.running),el("td",null,v.queued),el("td",null,v.pendingTokens),
          el("td",null,el("span",{class:"bar",width:kv})," "+kv+"%"),el("td",null,v.completed),el("td",null,v.rejected),
          el("td",{class:"text"},(v.lastOperationId??"–")+(v.lastLoadMilliseconds==null?"":" · last load "+v.lastLoadMilliseconds.toFixed(0)+" ms")));
      })));
  }
  $("vms").replaceChildren(...parts);
}

function renderMembership(m){
  const yes=b=>b?"yes":el("span",{class:"no"},"NO");
  $("membership-summary").replaceChildren("this silo ",el("b",{id:"membership-self"},m.self)," · can act ",yes(m.canAct)," · table v",m.version,
    " · planner on ",m.singletonOwner??"nobody",m.plannerActiveHere?" (here)":""," · activations ",m.activations,
    " · remote calls sent ",m.remoteCallsSent," / received ",m.remoteCallsReceived);
  $("membership-summary").className="";
  $("membership").replaceChildren(table({id:"members-table"},["silo","region","status","I-am-alive","role"],m.members.map(x=>el("tr",null,
    el("td",null,x.address),el("td",{class:"text"},x.region),el("td",{class:"text"},el("span",{class:"badge status-"+x.status},x.status)),
    el("td",null,ago(x.iAmAliveTime)),el("td",{class:"text"},[x.address===m.self?"this silo":null,x.address===m.singletonOwner?"planner":null].filter(Boolean).join(", "))))));
}
function standAlone(){
  $("membership-summary").replaceChildren(el("b",{id:"membership-mode"},"stand-alone")," (not clustered: start the silo with --cluster-storage to join a cluster)");
  $("membership-summary").className="";
  $("membership").replaceChildren();
}

// One request per panel at a time (a slow endpoint must not pile up requests); a failure shows in the panel, which
// keeps its last good content, and the next tick tries again.
const busy={};
async function poll(panel,url,onOk,onNotFound){
  if(busy[panel]){return;}
  busy[panel]=true;
  const error=$(panel+"-error");
  try{
    const r=await fetch(url,{cache:"no-store",signal:AbortSignal.timeout(5000)});
    const body=await r.json().catch(()=>null);
    if(r.ok){onOk(body);}else if(r.status===404&&onNotFound){onNotFound(body);}
    else{throw new Error("HTTP "+r.status+(body&&body.detail?": "+body.detail:""));}
    error.hidden=true;
  }catch(e){
    error.textContent=url+" failed ("+new Date().toLocaleTimeString()+"): "+(e&&e.message||e);
    error.hidden=false;
    if(panel==="overview"){set("status","silo unreachable or failing");}
  }finally{busy[panel]=false;}
}
function tick(){
  poll("overview","/v1/cluster",renderOverview);
  poll("membership","/v1/cluster/membership",renderMembership,standAlone);
  poll("plan","/v1/plan",renderPlan,noPlan);
  poll("vms","/v1/vms",renderVms);
}
tick();setInterval(tick,1000);
""";
}
