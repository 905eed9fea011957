// The console page: live figures over Server-Sent Events, charts drawn with uPlot, a message's
// trace and the dead letters. Everything shown is written with textContent: no markup from data.
"use strict";
const CHANNELS = ["apns", "fcm", "sms"];
const OUTCOMES = ["sent", "retried", "failed", "expired", "ambiguous", "dead_lettered"];
const OUTCOME_COLOURS = ["#1b7f3b", "#d18a00", "#c0262d", "#7a5195", "#ef5675", "#444"];
const PCT_COLOURS = ["#2767d1", "#d18a00", "#c0262d"];
const seconds = [];   // points of the last five minutes
const windows = [];   // points of the last hour, ten seconds each
const charts = {};
let latest = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return e;
}
function ms(v) {
  if (v == null) return "–";
  if (v < 1000) return (v < 10 ? v.toFixed(1) : Math.round(v)) + " ms";
  if (v < 120000) return (v / 1000).toFixed(1) + " s";
  return Math.round(v / 60000) + " min";
}
function rate(v) { return v == null ? "–" : (v < 10 ? v.toFixed(1) : Math.round(v)) + "/s"; }
function time(t) { return t ? new Date(t).toLocaleTimeString() : "–"; }

// --- tabs -------------------------------------------------------------------------------------
for (const b of document.querySelectorAll("nav button")) {
  b.addEventListener("click", () => {
    for (const o of document.querySelectorAll("nav button")) o.classList.toggle("active", o === b);
    for (const t of ["live", "trace", "dead"]) document.getElementById("tab-" + t).classList.toggle("hidden", t !== b.dataset.tab);
    if (b.dataset.tab === "dead") loadDead();
    if (b.dataset.tab === "live") resizeCharts();
  });
}
document.getElementById("logout").addEventListener("click", async () => {
  await postJson("/logout");
  location.href = "/static/login.html";
});

// --- charts ---------------------------------------------------------------------------------
function chartWidth() {
  return Math.max(260, Math.floor(document.getElementById("channels").clientWidth / 3) - 24);
}
function makeChart(id, title, labels, colours, parent, unit, points) {
  const box = el("div", {class: "chart", id: "chart-" + id});
  parent.append(box);
  // the hour's chart gets a point every ten seconds: dots, so that its first ones show
  const series = [{}].concat(labels.map((l, i) => ({label: l, stroke: colours[i], width: 1.5, spanGaps: false,
    points: {show: !!points, size: 4, fill: colours[i]}})));
  charts[id] = new uPlot({
    title, width: chartWidth(), height: 150, series,
    scales: {x: {time: true}},
    axes: [{}, {size: 56, values: (u, vals) => vals.map(v => unit === "ms" ? ms(v) : v)}],
    legend: {show: true}
  }, [[]].concat(labels.map(() => [])), box);
}
function resizeCharts() {
  const w = chartWidth();
  for (const c of Object.values(charts)) c.setSize({width: w, height: 150});
}
function buildChannels() {
  const root = document.getElementById("channels");
  for (const ch of CHANNELS) {
    const box = el("div", {class: "channel", id: "channel-" + ch});
    const figs = el("div", {class: "figures"});
    for (const [key, label] of [["rate", "sent/s"], ["p50", "p50 (5 min)"], ["p99", "p99 (5 min)"], ["p999", "p99.9 (5 min)"],
                                ["p99h", "p99 (1 h)"], ["sent", "sent in all"]]) {
      figs.append(el("div", {class: "figure"}, el("b", {id: key + "-" + ch}, "–"), el("span", {}, label)));
    }
    box.append(el("h3", {}, ch.toUpperCase()), figs);
    root.append(box);
    makeChart("rate-" + ch, "outcomes/s, 5 min", OUTCOMES, OUTCOME_COLOURS, box, "n");
    makeChart("latency5m-" + ch, "latency, 5 min", ["p50", "p99", "p99.9"], PCT_COLOURS, box, "ms");
    makeChart("latency1h-" + ch, "latency, 1 h (10 s)", ["p50", "p99", "p99.9"], PCT_COLOURS, box, "ms", true);
  }
}
function series(points, ch, pick) {
  return points.map(p => { const c = p.ch[ch]; return c ? pick(c) : null; });
}
function drawCharts() {
  const xs = seconds.map(p => p.t);
  const xh = windows.map(p => p.t);
  for (const ch of CHANNELS) {
    charts["rate-" + ch].setData([xs].concat(OUTCOMES.map(o => series(seconds, ch, c => c.rate[o]))));
    charts["latency5m-" + ch].setData([xs].concat([0, 1, 2].map(i => series(seconds, ch, c => c.p ? c.p[i] : null))));
    charts["latency1h-" + ch].setData([xh].concat([0, 1, 2].map(i => series(windows, ch, c => c.p ? c.p[i] : null))));
  }
}
function addPoints(ring, points, max) {
  for (const p of points || []) {
    if (ring.length && ring[ring.length - 1].t >= p.t) continue;
    ring.push(p);
  }
  while (ring.length > max) ring.shift();
}

// --- live figures -----------------------------------------------------------------------------
function fillTable(id, rows) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren(...rows);
}
function td(v, cls) { return el("td", cls ? {class: cls} : {}, v); }
function render(s) {
  latest = s;
  document.getElementById("status").textContent = "live · " + time(s.now) + " · " + s.instances.length + " instances";
  const last = seconds.length ? seconds[seconds.length - 1] : null;
  for (const ch of CHANNELS) {
    const sum5 = s.summary["5m"][ch], sum1h = s.summary["1h"][ch];
    text(document.getElementById("rate-" + ch), rate(last && last.ch[ch] ? last.ch[ch].rate.sent : 0));
    text(document.getElementById("p50-" + ch), sum5.count ? ms(sum5.p50) : "–");
    text(document.getElementById("p99-" + ch), sum5.count ? ms(sum5.p99) : "–");
    text(document.getElementById("p999-" + ch), sum5.count ? ms(sum5.p999) : "–");
    text(document.getElementById("p99h-" + ch), sum1h.count ? ms(sum1h.p99) : "–");
    text(document.getElementById("sent-" + ch), String(s.totals[ch + ".sent"] || 0));
  }
  const order = ["mailbox"].concat(CHANNELS);
  fillTable("queue-totals", order.filter(q => s.queueTotals[q]).map(q => {
    const t = s.queueTotals[q];
    const leases = t.unowned ? el("span", {class: "bad"}, t.unowned + " unowned") : t.lapsing ? el("span", {class: "warn"}, t.lapsing + " lapsing") : el("span", {class: "ok"}, "all held");
    return el("tr", {id: "queue-" + q}, td(q), td(t.depth, "num"), td(ms(t.oldestAgeMs), "num" + (t.oldestAgeMs > 60000 ? " warn" : "")),
      td(t.inflight, "num"), td(t.retrying, "num"), td(t.dead, "num" + (t.dead ? " warn" : "")), el("td", {}, leases));
  }));
  fillTable("queue-shards", s.queues.map(q => el("tr", {},
    td(q.queue), td(q.shard, "num"), td(q.depth, "num"), td(ms(q.oldestAgeMs), "num"), td(q.inflight, "num"), td(q.retrying, "num"),
    td(q.dead, "num"), td(q.owner || "none", q.owner ? "" : "bad"), td(q.owner ? ms(q.leaseMsLeft) : "–", "num" + (q.lapsing ? " warn" : "")))));
  const sumOf = what => CHANNELS.reduce((a, ch) => a + (s.totals[ch + "." + what] || 0), 0);
  const g = last || {accepted: 0, refused: 0, unavailable: 0};
  fillTable("counters", [
    ["accepted/s", rate(g.accepted)], ["refused/s", rate(g.refused)], ["503/s", rate(g.unavailable)],
    ["messages accepted in all", s.totals.accepted || 0], ["deliveries sent in all", sumOf("sent")],
    ["ambiguous deliveries", sumOf("ambiguous")], ["expired deliveries", sumOf("expired")],
    ["expired messages", s.totals.messages_expired || 0],
    ["dead letters waiting", order.map(q => q + " " + (s.queueTotals[q] ? s.queueTotals[q].dead : 0)).join(" · ")]
  ].map(([k, v]) => el("tr", {}, el("th", {}, k), td(v, "num"))));
  document.getElementById("counters").querySelectorAll("td")[4].id = "total-sent";
  fillTable("providers", CHANNELS.map(ch => {
    const p = s.providers[ch];
    return el("tr", {id: "provider-" + ch}, td(ch),
      p.pausedForMs > 0 ? td("paused for " + ms(p.pausedForMs) + " more (until " + time(s.now + p.pausedForMs) + ")", "bad") : td("sending", "ok"),
      td(p.inflight, "num"));
  }));
  fillTable("instances", s.instances.map(i => el("tr", {class: "instance"},
    td(i.role), td(i.id), td(i.host), td(i.pid, "num"), td(i.version), td(new Date(i.startedAt).toLocaleString()),
    td(ms(i.lastSeenMs) + " ago", "num" + (i.lastSeenMs > 3000 ? " warn" : "")),
    td(i.owned.length ? i.owned.length + ": " + i.owned.slice(0, 6).join(", ") + (i.owned.length > 6 ? " …" : "") : "–"),
    td(i.leaseMsLeft == null ? "–" : ms(i.leaseMsLeft) + (i.lapsing ? " (lapsing)" : ""), "num" + (i.lapsing ? " bad" : "")))));
}

async function connect() {
  const session = await fetch("/api/session", {credentials: "same-origin"});
  if (session.status === 401) { location.href = "/static/login.html"; return; }
  const source = new EventSource("/api/live");
  source.addEventListener("history", ev => {
    const h = JSON.parse(ev.data);
    seconds.length = 0; windows.length = 0;
    addPoints(seconds, h.seconds, 300);
    addPoints(windows, h.windows, 360);
    drawCharts();
    if (h.snapshot && h.snapshot.summary) render(h.snapshot);
  });
  source.addEventListener("snapshot", ev => {
    const s = JSON.parse(ev.data);
    addPoints(seconds, s.points, 300);
    addPoints(windows, s.windowPoints, 360);
    drawCharts();
    render(s);
  });
  source.onerror = () => { document.getElementById("status").textContent = "reconnecting…"; };
}

// --- trace --------------------------------------------------------------------------------------
document.getElementById("trace-form").addEventListener("submit", async ev => {
  ev.preventDefault();
  const id = document.getElementById("trace-id").value.trim();
  const out = document.getElementById("trace-result");
  if (!id) return;
  const r = await fetch("/api/trace/" + encodeURIComponent(id), {credentials: "same-origin"});
  const t = await r.json();
  if (!r.ok) { out.replaceChildren(el("p", {class: "error"}, t.error || r.status)); return; }
  if (!t.found) {
    out.replaceChildren(el("p", {id: "trace-missing"}, "No ledger for " + t.messageId + ": it was never accepted, or its ledger has expired " +
      "(a message's ledger is kept " + t.ledgerTtlSeconds + " s after its last delivery settles, GROUPWIRE_SETTLED_LEDGER_TTL)."));
    return;
  }
  const head = el("p", {id: "trace-message"}, "Message " + t.messageId + " in group " + t.groupId + " from " + t.senderId +
    ", accepted " + new Date(t.acceptedAt).toLocaleString() + " · shard " + t.shard + " · " + t.open + " deliveries not yet settled" +
    (t.expired ? " · dropped: older than the message TTL" : ""));
  const rows = t.deliveries.map(d => el("tr", {class: "trace-delivery"}, td(d.channel), td(d.address), td(d.recipientId),
    td(d.state + (d.resent ? " (resent after an ambiguous attempt)" : ""), d.state === "sent" ? "ok" : ["failed", "dead", "dead_letter", "expired", "ambiguous"].includes(d.state) ? "bad" : ""),
    td(d.worker ? d.worker + " since " + time(d.sendingSinceMillis) : ""), td(d.id)));
  const table = el("table", {id: "trace-deliveries"}, el("thead", {}, el("tr", {}, ...["channel", "address", "recipient", "state", "sending", "delivery id"].map(h => el("th", {}, h)))),
    el("tbody", {}, ...rows));
  out.replaceChildren(head, table, el("p", {class: "hint"}, "Attempt history and provider answers are not recorded yet: the state is the latest outcome."));
});

// --- dead letters -------------------------------------------------------------------------------
let deadOffset = 0;
const DEAD_PAGE = 20;
async function loadDead() {
  const q = document.getElementById("dead-queue").value;
  const r = await fetch("/api/deadletters/" + q + "?offset=" + deadOffset + "&limit=" + DEAD_PAGE, {credentials: "same-origin"});
  const page = await r.json();
  text(document.getElementById("dead-total"), page.total + " in all; showing " + (page.total ? deadOffset + 1 : 0) + "–" + (deadOffset + page.entries.length));
  fillTable("dead-list", page.entries.map(e => {
    const box = el("input", {type: "checkbox", "data-shard": e.shard, "data-ref": e.ref});
    const inspect = el("button", {}, "inspect");
    inspect.addEventListener("click", async () => {
      const d = await (await fetch("/api/deadletters/" + q + "/" + e.shard + "/" + e.ref, {credentials: "same-origin"})).json();
      const pre = document.getElementById("dead-inspect");
      pre.classList.remove("hidden");
      text(pre, JSON.stringify(d, null, 2));
    });
    return el("tr", {class: "dead-entry"}, el("td", {}, box), td(e.shard, "num"), td(e.messageId || (e.unreadable ? "(unreadable)" : "")),
      td(e.deliveryId || ""), td(e.recipientId || ""), td(e.address || ""), td(e.attempt == null ? "" : e.attempt, "num"),
      td(e.acceptedAt ? new Date(e.acceptedAt).toLocaleString() : ""), el("td", {}, inspect));
  }));
}
document.getElementById("dead-queue").addEventListener("change", () => { deadOffset = 0; loadDead(); });
document.getElementById("dead-prev").addEventListener("click", () => { deadOffset = Math.max(0, deadOffset - DEAD_PAGE); loadDead(); });
document.getElementById("dead-next").addEventListener("click", () => { deadOffset += DEAD_PAGE; loadDead(); });
let pendingReplay = null;
function askReplay(body, question) {
  pendingReplay = body;
  text(document.getElementById("replay-question"), question);
  document.getElementById("replay-confirm").classList.remove("hidden");
}
document.getElementById("replay-selected").addEventListener("click", () => {
  const items = [...document.querySelectorAll("#dead-list input:checked")].map(b => ({shard: Number(b.dataset.shard), ref: b.dataset.ref}));
  if (!items.length) { text(document.getElementById("replay-result"), "Select dead letters first."); return; }
  askReplay({items}, "Replay " + items.length + " dead letter(s) of " + document.getElementById("dead-queue").value +
    " to the head of their queue? Deliveries start their attempts afresh.");
});
document.getElementById("replay-all").addEventListener("click", () => {
  askReplay({all: true}, "Replay every dead letter of " + document.getElementById("dead-queue").value +
    " (" + document.getElementById("dead-total").textContent + ") to the head of their queues?");
});
document.getElementById("replay-no").addEventListener("click", () => {
  pendingReplay = null;
  document.getElementById("replay-confirm").classList.add("hidden");
});
document.getElementById("replay-yes").addEventListener("click", async () => {
  const q = document.getElementById("dead-queue").value;
  const r = await postJson("/api/deadletters/" + q + "/replay", pendingReplay);
  document.getElementById("replay-confirm").classList.add("hidden");
  const answer = r.ok ? (await r.json()).replayed + " replayed." : "Refused (" + r.status + ").";
  text(document.getElementById("replay-result"), answer);
  deadOffset = 0;
  loadDead();
});

// for tests and the curious: what the charts hold
window.groupwireConsole = {
  latencyPoints: ch => seconds.filter(p => p.ch[ch] && p.ch[ch].p).length,
  latest: () => latest
};
window.addEventListener("resize", resizeCharts);
buildChannels();
connect();
