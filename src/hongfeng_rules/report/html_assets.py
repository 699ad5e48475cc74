"""The HTML report's stylesheet (screen and print, A4 landscape) and its one inline script (cards, filters, search)."""
from __future__ import annotations

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1rem 1.5rem;color:#1a1a1a;max-width:86rem;font-size:14px}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right}code{font-size:.9em}
.s-fail{background:#f4b6b6}.s-not_assessable{background:#f7dc8f}.s-pending{background:#cfe0f7}
.s-waived{background:#ddd0f2}.s-pass{background:#c4e8c4}.s-not_applicable{background:#eee;color:#666}.s-not_used{background:#e4eef7}
.verdict-no{color:#a00;font-weight:bold}.verdict-none{color:#666;font-weight:bold}.verdict-yes{color:#060;font-weight:bold}
#meta{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.25rem 0}#meta dt{font-weight:bold}#meta dd{margin:0}
.tools{margin:.3rem 0}.tools button{font:inherit;margin-right:.4rem}
.node{margin:.1rem 0 .1rem 1.1rem}#tree>.node,#tree>.tree-body>.node{margin-left:0}
.node>summary,.row{display:flex;flex-wrap:wrap;align-items:center;gap:.15rem .6rem;padding:.12rem .3rem;border-radius:3px}
.node>summary{cursor:pointer}.node>summary:hover,.row:hover{background:#f4f6fa}
.row{margin-left:2.2rem}.nc>summary .name,.row.nc .name{color:#a00}
.name{font-weight:600;min-width:12rem}.rate{font-variant-numeric:tabular-nums;min-width:4.2rem;text-align:right}
.meter{display:inline-block;width:7rem;height:.7rem;background:#e3e3e3;border-radius:2px;overflow:hidden;vertical-align:middle}
.meter>i{display:block;height:100%;background:#3a8f4d}.nc>summary .meter>i,.row.nc .meter>i{background:#c0392b}
.chip{display:inline-block;padding:0 .3rem;border-radius:3px;font-size:.85em;font-variant-numeric:tabular-nums}
.muted{color:#666;font-size:.9em}.delta-up{color:#060}.delta-down{color:#a00}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(40rem,1fr));gap:1rem}
.chart{margin:0}.chart figcaption{font-weight:600;margin:.3rem 0}.chart svg{font-size:11px;max-width:100%;height:auto}
.chart .scroll{max-height:26rem;overflow-y:auto}
.chart rect{fill:#2f6db5}.chart .rate rect{fill:#3a8f4d}.chart .rate.nc rect{fill:#c0392b}.chart .unknown rect{fill:#c99a06}
.chart .failrate rect{fill:#c0392b}.chart text{fill:#222}.chart .axis{stroke:#999}.chart .tick{fill:#666}
.chart .series polyline{stroke-width:2}.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin:.2rem 0}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
.group>summary{cursor:pointer;font-weight:600;padding:.15rem 0}
.matrix{font-size:12px}.matrix .f{background:#f4b6b6}.matrix .u{background:#f7dc8f}.matrix .d{background:#cfe0f7}
.matrix .w{background:#ddd0f2}.matrix .p{background:#c4e8c4}.matrix .o{background:#e4eef7}.matrix .n{background:#eee;color:#666}
.matrix td{text-align:center;min-width:1.35rem;padding:.05rem .1rem}
.matrix th.clause{writing-mode:vertical-rl;white-space:nowrap;padding:.3rem .05rem;font-weight:normal}
.matrix th.who{white-space:nowrap;max-width:13rem;overflow:hidden;text-overflow:ellipsis;font-weight:normal}
.wide{overflow-x:auto}
#filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;padding:.4rem;background:#f6f6f6;border:1px solid #ddd}
#filters label{white-space:nowrap}#filters input[type=search]{min-width:16rem;font:inherit}
.finding{border-left:.4rem solid #bbb;padding:.2rem .75rem;margin:.6rem 0}
.finding.s-fail{border-color:#c33;background:#fdf0f0}.finding.s-not_assessable{border-color:#c90;background:#fdf8ea}
.finding.s-pending{border-color:#36c;background:#f0f5fd}.finding.s-waived{border-color:#74b;background:#f6f2fc}
.finding.s-not_used{border-color:#6b8fb3;background:#f3f7fb}
.finding p{margin:.25rem 0}.source{color:#333;font-style:italic}
.finding dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.25rem 0}
.finding dt{font-weight:bold}.finding dd{margin:0;overflow-wrap:anywhere}
@page{size:A4 landscape;margin:10mm}
@media print{
body{margin:0;max-width:none;font-size:10pt}.tools,#filters,.to-findings,#more{display:none}
.chart .scroll{max-height:none;overflow:visible}.wide{overflow:visible}
.matrix{font-size:8pt}.matrix td{min-width:0}.finding,.node>summary,.row,.chart{break-inside:avoid}
h2{break-after:avoid}
}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var W = JSON.parse(document.getElementById("words").textContent);
  var RULES = JSON.parse(document.getElementById("rules").textContent);
  var chunks = Array.prototype.slice.call(document.querySelectorAll("script.chunk"));
  var rows = new Map();  // chunk element -> its rows, once read
  var form = document.getElementById("filters"), box = document.getElementById("cards");
  var shownText = document.getElementById("shown"), more = document.getElementById("more");
  var STEP = 200, limit = STEP, pending = null;

  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined && text !== null) x.textContent = String(text);
    return x;
  }
  function inflate(chunk) {
    var bin = Uint8Array.from(atob(chunk.textContent.trim()), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (t) { rows.set(chunk, JSON.parse(t)); });
  }
  function read(chunk) {  // the rows now, or null while a compressed chunk is being inflated
    if (rows.has(chunk)) return rows.get(chunk);
    if (chunk.dataset.enc === "json") { rows.set(chunk, JSON.parse(chunk.textContent)); return rows.get(chunk); }
    return null;
  }
  function state() {
    var s = {status: [], strength: form.strength.value, clause: form.clause.value, assoc: form.assoc.value,
             q: form.q.value.trim().toLowerCase()};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=status]"), function (c) { if (c.checked) s.status.push(c.value); });
    return s;
  }
  function fromHash() {
    var p = new URLSearchParams(location.hash.slice(1));  // what the address does not name is reset
    var st = p.has("status") ? p.get("status").split(",") : null;
    Array.prototype.forEach.call(form.querySelectorAll("input[name=status]"), function (c) { c.checked = !st || st.indexOf(c.value) >= 0; });
    form.strength.value = p.get("strength") || ""; form.clause.value = p.get("clause") || "";
    form.assoc.value = p.get("assoc") || ""; form.q.value = p.get("q") || "";
  }
  function toHash(s) {
    var p = new URLSearchParams();
    if (s.status.length !== form.querySelectorAll("input[name=status]").length) p.set("status", s.status.join(","));
    ["strength", "clause", "assoc", "q"].forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    var h = p.toString();
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }
  function matches(f, s, rule) {
    if (s.status.indexOf(f[1]) < 0) return false;
    if (s.strength && rule[2] !== s.strength) return false;
    if (s.clause && rule[1] !== s.clause) return false;
    if (!s.q) return true;
    var hay = [rule[0], rule[1], rule[4], f[3], f[4], f[5], f[6], f[7], f[9], f[11]].concat(f[8] || []).join(" ").toLowerCase();
    return hay.indexOf(s.q) >= 0;
  }
  function item(dl, key, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", null, key));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function card(f, group) {
    var rule = RULES[f[0]], a = el("article", "finding s-" + f[1]);
    a.dataset.rule = rule[0]; a.dataset.subject = f[3]; a.dataset.status = f[1];
    a.dataset.strength = rule[2]; a.dataset.clause = rule[1]; a.dataset.group = group;
    var head = el("p");
    head.appendChild(el("strong", null, W.clause + " " + rule[1]));
    head.appendChild(document.createTextNode(" (" + rule[5] + ") "));
    head.appendChild(el("code", null, rule[0]));
    head.appendChild(document.createTextNode(" — " + f[11]));
    a.appendChild(head);
    a.appendChild(el("p", "source", rule[3]));
    var dl = el("dl");
    item(dl, W.status, W.statuses[f[1]]);
    item(dl, W.subject, f[2] + " " + f[3] + (f[4] ? " " + f[4] : ""));
    item(dl, W.measured, f[6] === null ? "—" : f[6]);
    item(dl, W.expected, f[7] === null ? "—" : f[7]);
    if (f[8] && f[8].length) {
      var ev = el("span");
      f[8].forEach(function (x, i) { if (i) ev.appendChild(document.createTextNode(", ")); ev.appendChild(el("code", null, x)); });
      item(dl, W.evidence, ev);
    }
    item(dl, W.note, f[9]); item(dl, W.due, f[10]);
    if (f[12]) item(dl, W.waiver, f[12][0] + " — " + W.approved_by + " " + f[12][1] + " " + f[12][2] + ", " + W.until + " " + f[12][3]);
    a.appendChild(dl);
    if (f[13]) {  // why, with check --explain: collapsed until opened
      var why = el("details", "why"), list = el("ul");
      why.appendChild(el("summary", null, W.why));
      f[13].forEach(function (line) { list.appendChild(el("li", null, line)); });
      why.appendChild(list);
      a.appendChild(why);
    }
    return a;
  }
  function render() {
    var s = state(), wanted = [], waiting = [];
    toHash(s);
    chunks.forEach(function (c) {
      if (s.assoc && (" " + c.dataset.path + " ").indexOf(" " + s.assoc + " ") < 0) return;
      var r = read(c);
      if (r === null) waiting.push(c); else wanted.push([c, r]);
    });
    if (waiting.length) {
      shownText.textContent = W.loading;
      if (!pending) pending = Promise.all(waiting.map(inflate)).then(function () { pending = null; render(); });
      return;
    }
    box.textContent = "";
    var total = 0, shown = 0, frag = document.createDocumentFragment();
    wanted.forEach(function (pair) {
      pair[1].forEach(function (f) {
        if (!matches(f, s, RULES[f[0]])) return;
        total++;
        if (shown < limit) { frag.appendChild(card(f, pair[0].dataset.group)); shown++; }
      });
    });
    box.appendChild(frag);
    if (!total) box.appendChild(el("p", "none", W.none));
    shownText.textContent = W.shown.replace("{shown}", shown).replace("{total}", total);
    more.hidden = shown >= total;
    document.documentElement.dataset.cards = String(total);
    document.documentElement.dataset.ready = "1";
  }
  function openAll(root, open) {
    Array.prototype.forEach.call(root.querySelectorAll("details:not(.why)"), function (d) { d.open = open; });
  }
  form.addEventListener("input", function () { limit = STEP; render(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  more.addEventListener("click", function () { limit += STEP; render(); });
  window.addEventListener("hashchange", function () { fromHash(); limit = STEP; render(); });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-open]"), function (b) {
    b.addEventListener("click", function () { openAll(document.getElementById(b.dataset.target), b.dataset.open === "1"); });
  });
  document.getElementById("print").addEventListener("click", function () {
    limit = Infinity; shownText.textContent = W.loading;
    Promise.all(chunks.filter(function (c) { return read(c) === null; }).map(inflate)).then(function () { render(); window.print(); });
  });
  window.addEventListener("beforeprint", function () { openAll(document, true); });
  fromHash();
  render();
  document.documentElement.dataset.renderMs = String(Math.round(performance.now()));
})();
"""
