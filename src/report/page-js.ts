// The report page's script, inlined into the HTML. Plain ES2019, no library: it reads the data block
// (`#bgpcap-data`, model.ts) and draws everything from it with SVG (timelines, AS graph) and canvas (update
// rates, which can have 100k points). Text from the capture (shutdown messages, file names) only ever goes
// in through textContent / attributes, never as HTML.
//
// Kept as a String.raw literal so it ships inside dist/ without a build step: no backticks and no
// dollar-brace in the code below.
export const PAGE_JS = String.raw`
(function () {
'use strict';
var D = JSON.parse(document.getElementById('bgpcap-data').textContent);
var NS = 'http://www.w3.org/2000/svg';
var COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#d62728'];
var CAP_SHORT = { multiprotocol: 'MP', route_refresh: 'RR', graceful_restart: 'GR', four_octet_as: 'AS4', enhanced_route_refresh: 'ERR', long_lived_graceful_restart: 'LLGR', add_path: 'ADD-PATH', extended_message: 'ExtMsg', extended_next_hop: 'ENH', bgp_role: 'Role', fqdn: 'FQDN', software_version: 'Version', route_refresh_cisco: 'RR(old)', bfd: 'BFD', outbound_route_filtering: 'ORF' };
var PEERING = {};
(D.prefixes.peering_asns || []).forEach(function (a) { PEERING[a] = true; });

// ---------------------------------------------------------------------------------------------- helpers
function el(tag, attrs, kids) {
  var e = document.createElement(tag);
  setAttrs(e, attrs);
  addKids(e, kids);
  return e;
}
function sv(tag, attrs, kids) {
  var e = document.createElementNS(NS, tag);
  setAttrs(e, attrs);
  addKids(e, kids);
  return e;
}
function setAttrs(e, attrs) {
  if (!attrs) return;
  Object.keys(attrs).forEach(function (k) {
    var v = attrs[k];
    if (v === null || v === undefined || v === false) return;
    if (k === 'text') e.textContent = String(v);
    else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, String(v));
  });
}
function addKids(e, kids) {
  if (kids === null || kids === undefined) return;
  if (!Array.isArray(kids)) kids = [kids];
  kids.forEach(function (k) {
    if (k === null || k === undefined || k === false) return;
    e.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
  });
}
function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }
function fmtTime(t, ms) {
  if (t === null || t === undefined) return '';
  var d = new Date(Math.floor(t * 1000));
  var s = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2) + ' ' + pad(d.getUTCHours(), 2) + ':' + pad(d.getUTCMinutes(), 2) + ':' + pad(d.getUTCSeconds(), 2);
  if (ms !== false) s += '.' + pad(Math.floor((t - Math.floor(t)) * 1e6), 6);
  return s;
}
function fmtClock(t, step) {
  var d = new Date(Math.floor(t * 1000));
  var s = pad(d.getUTCHours(), 2) + ':' + pad(d.getUTCMinutes(), 2);
  if (step < 60) s += ':' + pad(d.getUTCSeconds(), 2);
  if (step < 1) s += '.' + pad(Math.round((t - Math.floor(t)) * 1000) % 1000, 3);
  if (step >= 86400) s = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2);
  return s;
}
function fmtDur(s) {
  if (s < 1) return (s * 1000).toFixed(1) + ' ms';
  if (s < 120) return s.toFixed(s < 10 ? 2 : 1) + ' s';
  if (s < 7200) return (s / 60).toFixed(1) + ' min';
  if (s < 172800) return (s / 3600).toFixed(1) + ' h';
  return (s / 86400).toFixed(1) + ' days';
}
function num(n) { return n === null || n === undefined ? '' : Number(n).toLocaleString('en-US'); }
function color(i) { return COLORS[i % COLORS.length]; }
function sess(id) { return D.sessions[id]; }
function side(s, dir) { return dir === 'a' ? s.a : s.b; }
function asnText(a) { return a === null || a === undefined ? 'AS?' : 'AS' + a; }
function dirText(id, dir) {
  var s = sess(id);
  if (!s) return '';
  var f = side(s, dir), t = side(s, dir === 'a' ? 'b' : 'a');
  return f.ip + ' \u2192 ' + t.ip;
}
function pathText(p) {
  if (!p) return '';
  if (p.length === 0) return '(empty)';
  return p.map(function (x) { return Array.isArray(x) ? '{' + x.join(',') + '}' : String(x); }).join(' ');
}
function pathNode(p, poisoned) {
  var span = el('span');
  if (!p) return span;
  if (p.length === 0) { span.textContent = '(empty)'; return span; }
  p.forEach(function (x, i) {
    if (i > 0) span.appendChild(document.createTextNode(' '));
    var txt = Array.isArray(x) ? '{' + x.join(',') + '}' : String(x);
    var cls = null;
    if (!Array.isArray(x) && poisoned && poisoned.indexOf(x) >= 0) cls = 'asn-poison';
    else if (!Array.isArray(x) && PEERING[x]) cls = 'asn-peering';
    span.appendChild(cls ? el('span', { 'class': cls, title: cls === 'asn-poison' ? 'poisoned ASN' : 'PEERING ASN' }, txt) : document.createTextNode(txt));
  });
  return span;
}
function list(v) { return v === null || v === undefined ? '' : v.join(' '); }

// One tooltip for the page: elements carry their text in data-tip.
var tip = el('div', { 'class': 'tip', role: 'tooltip' });
document.body.appendChild(tip);
function showTip(text, x, y) {
  tip.textContent = text;
  tip.style.display = 'block';
  var w = tip.offsetWidth, h = tip.offsetHeight;
  var left = x + 14, top = y + 14;
  if (left + w > window.innerWidth - 8) left = Math.max(8, x - w - 14);
  if (top + h > window.innerHeight - 8) top = Math.max(8, y - h - 14);
  tip.style.left = left + 'px';
  tip.style.top = top + 'px';
}
function hideTip() { tip.style.display = 'none'; }
document.addEventListener('mousemove', function (ev) {
  var t = ev.target && ev.target.closest ? ev.target.closest('[data-tip]') : null;
  if (t) showTip(t.getAttribute('data-tip'), ev.clientX, ev.clientY);
  else if (!ev.target || !ev.target.closest || !ev.target.closest('canvas')) hideTip();
});

// Time ticks: the largest step that gives at most n ticks.
var STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
function ticks(t0, t1, n) {
  var span = Math.max(t1 - t0, 1e-6), step = STEPS[STEPS.length - 1];
  for (var i = 0; i < STEPS.length; i++) if (span / STEPS[i] <= n) { step = STEPS[i]; break; }
  var out = [];
  for (var t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9 && out.length < 200; t += step) out.push(t);
  return { step: step, list: out };
}

// Sortable, filterable table. cols: {key, label, num, fmt(row) -> text|Node, txt(row), sv(row), title}
function table(cols, rows, opts) {
  opts = opts || {};
  var st = { sort: opts.sort === undefined ? null : opts.sort, desc: !!opts.desc, q: '', limit: opts.limit || 300 };
  var wrap = el('div', { 'class': 'tbl', id: opts.id || null });
  var input = el('input', { type: 'search', placeholder: 'filter rows\u2026', 'aria-label': 'filter rows' });
  var count = el('span', { 'class': 'count' });
  var bar = el('div', { 'class': 'tbar' }, [input, count, opts.note ? el('span', { text: opts.note }) : null]);
  var thead = el('thead'), tbody = el('tbody');
  var tbl = el('table', null, [thead, tbody]);
  var more = el('div', { 'class': 'more' });
  wrap.appendChild(bar);
  wrap.appendChild(el('div', { 'class': 'tscroll' }, tbl));
  wrap.appendChild(more);
  var hr = el('tr');
  cols.forEach(function (c, i) {
    var th = el('th', { 'class': c.num ? 'num' : null, title: c.title || 'sort', text: c.label, onclick: function () {
      if (st.sort === i) st.desc = !st.desc; else { st.sort = i; st.desc = !!c.num; }
      render();
    } });
    hr.appendChild(th);
  });
  thead.appendChild(hr);
  var searchText = rows.map(function (r) {
    return cols.map(function (c) {
      var v = c.txt ? c.txt(r) : c.fmt ? c.fmt(r) : r[c.key];
      return v === null || v === undefined || typeof v === 'object' ? '' : String(v);
    }).join('\u0001').toLowerCase();
  });
  function sortVal(r, c) {
    if (c.sv) return c.sv(r);
    var v = r[c.key];
    return v === undefined ? null : v;
  }
  function render() {
    var idx = [];
    var q = st.q;
    for (var i = 0; i < rows.length; i++) if (!q || searchText[i].indexOf(q) >= 0) idx.push(i);
    if (st.sort !== null) {
      var c = cols[st.sort], dir = st.desc ? -1 : 1;
      idx.sort(function (x, y) {
        var a = sortVal(rows[x], c), b = sortVal(rows[y], c);
        if (a === b) return x - y;
        if (a === null) return 1;
        if (b === null) return -1;
        return (a < b ? -1 : 1) * dir;
      });
    }
    Array.prototype.forEach.call(hr.children, function (th, i) {
      if (i === st.sort) th.setAttribute('aria-sort', st.desc ? 'descending' : 'ascending'); else th.removeAttribute('aria-sort');
    });
    clear(tbody);
    var n = Math.min(idx.length, st.limit);
    for (var k = 0; k < n; k++) {
      var r = rows[idx[k]];
      var tr = el('tr', { 'class': opts.rowClass ? opts.rowClass(r) : null });
      cols.forEach(function (c) {
        var v = c.fmt ? c.fmt(r) : r[c.key];
        var td = el('td', { 'class': ((c.num ? 'num' : '') + (c.mono ? ' mono' : '') + (c.nowrap ? ' nowrap' : '')).trim() || null });
        if (v !== null && v !== undefined) {
          if (typeof v === 'object') td.appendChild(v);
          else td.textContent = c.num && typeof v === 'number' ? num(v) : String(v);
        }
        tr.appendChild(td);
      });
      if (opts.onRow) opts.onRow(r, tr);
      tbody.appendChild(tr);
    }
    count.textContent = (idx.length === rows.length ? num(rows.length) : num(idx.length) + ' of ' + num(rows.length)) + ' rows';
    clear(more);
    if (idx.length > n) more.appendChild(el('button', { 'class': 'btn', text: 'show all ' + num(idx.length) + ' rows', onclick: function () { st.limit = Infinity; render(); } }));
  }
  input.addEventListener('input', function () { st.q = input.value.trim().toLowerCase(); render(); });
  render();
  return { el: wrap, render: render, tbody: tbody };
}

// ---------------------------------------------------------------------------------------------- layout
var T0 = D.time.first, T1 = D.time.last;
if (T0 === null) { T0 = 0; T1 = 1; }
if (T1 - T0 < 1) { T1 = T0 + 1; }
var view = { t0: T0 - (T1 - T0) * 0.01, t1: T1 + (T1 - T0) * 0.01 };
var full = { t0: view.t0, t1: view.t1 };
var redrawers = [];
function setView(t0, t1) {
  if (t1 - t0 < 0.001) { var m = (t0 + t1) / 2; t0 = m - 0.0005; t1 = m + 0.0005; }
  view.t0 = t0; view.t1 = t1;
  rangeLabel.textContent = 'time shown: ' + fmtTime(t0, true).slice(0, 23) + ' \u2013 ' + fmtTime(t1, true).slice(11, 23) + ' UTC (' + fmtDur(t1 - t0) + ')';
  redrawers.forEach(function (f) { f(); });
}

var root = document.getElementById('app');
var header = el('header', { 'class': 'top' }, [
  el('h1', { text: D.title }),
  el('div', { 'class': 'sub', text: (D.time.first === null ? 'no records' : fmtTime(D.time.first, false) + ' \u2013 ' + fmtTime(D.time.last, false) + ' UTC, ' + fmtDur(D.time.last - D.time.first)) + ' \u00b7 ' + D.inputs.length + ' input' + (D.inputs.length === 1 ? '' : 's') + ' \u00b7 ' + D.generator })
]);
var rangeLabel = el('span', { 'class': 'range' });
var nav = el('nav', { 'class': 'sections' }, [
  el('a', { href: '#summary', text: 'Summary' }),
  el('a', { href: '#sessions', text: 'Sessions' }),
  el('a', { href: '#rates', text: 'Update rate' }),
  el('a', { href: '#prefixes', text: 'Prefixes' }),
  D.verify ? el('a', { href: '#verify', text: 'Verify' }) : null,
  el('a', { href: '#events', text: 'Events' }),
  rangeLabel,
  el('button', { type: 'button', text: 'zoom out', title: 'show twice the time span', onclick: function () {
    var m = (view.t0 + view.t1) / 2, h = view.t1 - view.t0;
    setView(Math.max(full.t0, m - h), Math.min(full.t1, m + h));
  } }),
  el('button', { type: 'button', text: 'whole capture', title: 'reset the zoom (or double-click a chart)', onclick: function () { setView(full.t0, full.t1); } })
]);
root.appendChild(header);
root.appendChild(nav);
var main = el('main');
root.appendChild(main);

function section(id, title, help) {
  var s = el('section', { id: id }, [el('h2', { text: title }), help ? el('p', { 'class': 'help', text: help }) : null]);
  main.appendChild(s);
  return s;
}

// ---------------------------------------------------------------------------------------------- summary
(function summary() {
  var s = section('summary', 'Summary');
  var tot = D.totals;
  function card(k, v, bad, tipText) { return el('div', { 'class': 'card' + (bad ? ' bad' : ''), 'data-tip': tipText || null }, [el('div', { 'class': 'v', text: v }), el('div', { 'class': 'k', text: k })]); }
  var byType = Object.keys(tot.by_type).map(function (k) { return k + ': ' + num(tot.by_type[k]); }).join('\n');
  var evs = Object.keys(tot.events).map(function (k) { return k + ': ' + num(tot.events[k]); }).join('\n');
  var gaps = tot.events.gap || 0;
  var notifs = D.sessions.reduce(function (n, x) { return n + x.counts.a.notifications + x.counts.b.notifications; }, 0);
  s.appendChild(el('div', { 'class': 'cards', id: 'cards' }, [
    card('sessions', num(tot.sessions)),
    card('BGP messages', num(tot.messages), false, byType || null),
    card('prefixes announced', num(tot.announcements)),
    card('prefixes withdrawn', num(tot.withdrawals)),
    card('distinct prefixes', num(tot.prefixes)),
    card('NOTIFICATIONs', num(notifs), notifs > 0),
    card('capture gaps', num(gaps), gaps > 0, evs || null),
    card('malformed messages', num(tot.errors), tot.errors > 0),
    card('duration', D.time.first === null ? '\u2013' : fmtDur(D.time.last - D.time.first))
  ]));
  if (D.notes.length) s.appendChild(el('ul', { 'class': 'notes' }, D.notes.map(function (n) { return el('li', { text: n }); })));
  s.appendChild(el('div', { 'class': 'meta', text: 'Inputs: ' + D.inputs.join(', ') + ' \u00b7 Filter: ' + D.filter + ' \u00b7 All times UTC.' }));
})();

// ---------------------------------------------------------------------------------------------- sessions
function dragZoom(box, xOf, tOf) {
  // Drag across a chart to zoom every time axis to that span; double-click for the whole capture.
  var sel = el('div', { 'class': 'sel' });
  box.appendChild(sel);
  var x0 = null;
  box.addEventListener('mousedown', function (ev) {
    if (ev.button !== 0) return;
    var r = box.getBoundingClientRect();
    x0 = ev.clientX - r.left;
    if (x0 < xOf.min) { x0 = null; return; }
    sel.style.left = x0 + 'px'; sel.style.width = '0px'; sel.style.display = 'block';
    ev.preventDefault();
  });
  window.addEventListener('mousemove', function (ev) {
    if (x0 === null) return;
    var r = box.getBoundingClientRect();
    var x = Math.max(xOf.min, Math.min(r.width, ev.clientX - r.left));
    sel.style.left = Math.min(x0, x) + 'px';
    sel.style.width = Math.abs(x - x0) + 'px';
  });
  window.addEventListener('mouseup', function (ev) {
    if (x0 === null) return;
    var r = box.getBoundingClientRect();
    var x = Math.max(xOf.min, Math.min(r.width, ev.clientX - r.left));
    sel.style.display = 'none';
    var a = Math.min(x0, x), b = Math.max(x0, x);
    x0 = null;
    if (b - a > 4) setView(tOf(a, r.width), tOf(b, r.width));
  });
  box.addEventListener('dblclick', function () { setView(full.t0, full.t1); });
}

(function sessions() {
  var s = section('sessions', 'Sessions', 'One row per BGP session (a pair of speakers; side a opened the TCP connection). The bar is each TCP connection: grey until both OPENs and a KEEPALIVE (established), then green. Markers: OPEN, established, End-of-RIB, NOTIFICATION, capture gaps, silences longer than the hold time. Hover for details; drag to zoom.');
  if (!D.sessions.length) { s.appendChild(el('div', { 'class': 'empty', text: 'No BGP session in the input.' })); return; }
  var box = el('div', { 'class': 'chart-box timeline', id: 'session-timeline' });
  s.appendChild(box);
  s.appendChild(el('div', { 'class': 'legend' }, [
    legendItem('#9aa5b1', 'connecting (OPEN sent)'), legendItem('#5cb85c', 'established'),
    legendItem('#1565c0', '\u25B2 OPEN'), legendItem('#2e7d32', '\u25CF established'), legendItem('#7b1fa2', '\u25C6 End-of-RIB'),
    legendItem('#d1352b', '\u2716 NOTIFICATION'), legendItem('#f08c00', '\u25AE gap / reset / error'), legendItem('rgba(240,140,0,.35)', 'silence > hold time')
  ]));
  var LBL = 300, ROW = 40, TOP = 24;
  function draw() {
    clear(box);
    var W = Math.max(700, box.clientWidth || 1000);
    var H = TOP + ROW * D.sessions.length + 4;
    var X = function (t) { return LBL + (t - view.t0) / (view.t1 - view.t0) * (W - LBL - 10); };
    var g = sv('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H });
    var ax = sv('g', { 'class': 'axis' });
    var tk = ticks(view.t0, view.t1, Math.max(3, Math.floor((W - LBL) / 110)));
    tk.list.forEach(function (t) {
      var x = X(t);
      ax.appendChild(sv('line', { x1: x, x2: x, y1: TOP - 4, y2: H }));
      ax.appendChild(sv('text', { x: x, y: 14, 'text-anchor': 'middle', text: fmtClock(t, tk.step) }));
    });
    g.appendChild(ax);
    var clip = sv('clipPath', { id: 'tlclip' }, sv('rect', { x: LBL, y: 0, width: W - LBL, height: H }));
    g.appendChild(clip);
    D.sessions.forEach(function (si, i) {
      var y = TOP + i * ROW;
      var row = sv('g', { 'class': 'srow', 'data-session': si.id });
      row.appendChild(sv('rect', { x: 0, y: y, width: W, height: ROW, fill: i % 2 ? '#fafbfc' : '#ffffff' }));
      row.appendChild(sv('rect', { x: 2, y: y + 6, width: 5, height: ROW - 12, fill: color(si.id), rx: 2 }));
      row.appendChild(sv('text', { 'class': 'lbl', x: 12, y: y + 16, text: '#' + si.id + ' ' + (si.mux ? si.mux + ': ' : '') + si.a.ip + ' \u2194 ' + si.b.ip }));
      row.appendChild(sv('text', { 'class': 'lbl2', x: 12, y: y + 31, text: asnText(si.a.asn) + ' \u2194 ' + asnText(si.b.asn) + '  \u00b7  ' + (si.families.join(', ') || 'families unknown') }));
      var body = sv('g', { 'clip-path': 'url(#tlclip)' });
      var cy = y + ROW / 2;
      si.connections.forEach(function (c) {
        var est = c.established !== null ? c.established : (c.mid_session ? c.start : null);
        var x0 = X(c.start), x1 = X(c.end), xe = est === null ? x1 : X(est);
        var tipText = 'TCP ports ' + c.a_port + ' \u2194 ' + c.b_port + '\nfrom ' + fmtTime(c.start) + (c.mid_session ? ' (already up when the capture started)' : '') + '\nestablished ' + (c.established === null ? (c.mid_session ? 'before the capture' : 'never') : fmtTime(c.established)) + '\nuntil ' + fmtTime(c.end) + ' (' + (c.end_reason === 'capture' ? 'last message captured' : c.end_reason) + (c.end_text ? ': ' + c.end_text : '') + ')\nhold time ' + (c.hold_time === null ? '?' : c.hold_time + ' s') + ', ' + num(c.messages) + ' messages';
        if (xe > x0) body.appendChild(sv('rect', { x: x0, y: cy - 5, width: Math.max(1, xe - x0), height: 10, fill: '#9aa5b1', 'data-tip': tipText }));
        if (est !== null) body.appendChild(sv('rect', { 'class': 'conn', x: xe, y: cy - 5, width: Math.max(2, x1 - xe), height: 10, fill: '#5cb85c', 'data-tip': tipText }));
      });
      si.marks.forEach(function (m) {
        var x = X(m.t);
        var t = fmtTime(m.t) + '\n' + m.text;
        if (m.kind === 'silence') {
          body.appendChild(sv('rect', { 'class': 'mark mark-silence', x: x, y: y + 3, width: Math.max(2, X(m.end) - x), height: ROW - 6, fill: 'rgba(240,140,0,.30)', 'data-tip': t }));
          return;
        }
        var dy = m.dir === 'a' ? -9 : m.dir === 'b' ? 9 : 0;
        var shape;
        if (m.kind === 'open') shape = sv('path', { d: 'M' + x + ' ' + (cy + dy - 5) + ' l5 9 h-10 z', fill: '#1565c0' });
        else if (m.kind === 'established') shape = sv('circle', { cx: x, cy: cy, r: 4.5, fill: '#2e7d32', stroke: '#fff' });
        else if (m.kind === 'eor') shape = sv('path', { d: 'M' + x + ' ' + (cy + dy - 4) + ' l4 4 l-4 4 l-4 -4 z', fill: '#7b1fa2' });
        else if (m.kind === 'notification') shape = sv('path', { d: 'M' + (x - 6) + ' ' + (cy - 6) + ' l12 12 M' + (x + 6) + ' ' + (cy - 6) + ' l-12 12', stroke: '#d1352b', 'stroke-width': 3.5 });
        else shape = sv('rect', { x: x - 2, y: y + 4, width: 4, height: ROW - 8, fill: '#f08c00' });
        var g2 = sv('g', { 'class': 'mark mark-' + m.kind, 'data-tip': t }, [sv('rect', { x: x - 7, y: y + 2, width: 14, height: ROW - 4, fill: 'transparent' }), shape]);
        body.appendChild(g2);
      });
      row.appendChild(body);
      g.appendChild(row);
    });
    box.appendChild(g);
    box.setAttribute('data-sessions', String(D.sessions.length));
  }
  redrawers.push(draw);
  dragZoom(box, { min: LBL }, function (x, w) { return view.t0 + (x - LBL) / (Math.max(700, w) - LBL - 10) * (view.t1 - view.t0); });

  var rows = D.sessions;
  var t = table([
    { label: '#', key: 'id', num: true },
    D.sessions.some(function (r) { return r.mux; }) ? { label: 'mux', fmt: function (r) { return r.mux || ''; } } : null,
    { label: 'side a', txt: function (r) { return r.a.ip + ' ' + asnText(r.a.asn) + ' ' + (r.a.bgp_id || ''); }, fmt: function (r) { return speakerNode(r.a); }, sv: function (r) { return r.a.ip; } },
    { label: 'side b', txt: function (r) { return r.b.ip + ' ' + asnText(r.b.asn) + ' ' + (r.b.bgp_id || ''); }, fmt: function (r) { return speakerNode(r.b); }, sv: function (r) { return r.b.ip; } },
    { label: 'families', fmt: function (r) { return r.families.join(', '); } },
    { label: 'capabilities', txt: function (r) { return capsText(r); }, fmt: function (r) { return el('span', { 'data-tip': 'a: ' + (r.a.capabilities.join(', ') || 'no OPEN seen') + (r.a.add_path.length ? '\nADD-PATH ' + r.a.add_path.join(', ') : '') + '\nb: ' + (r.b.capabilities.join(', ') || 'no OPEN seen') + (r.b.add_path.length ? '\nADD-PATH ' + r.b.add_path.join(', ') : ''), text: capsText(r) }); } },
    { label: 'hold', num: true, fmt: function (r) { var c = r.connections[r.connections.length - 1]; return c && c.hold_time !== null ? c.hold_time : null; } },
    { label: 'conns', num: true, sv: function (r) { return r.connections.length; }, fmt: function (r) { return r.connections.length; } },
    { label: 'msgs a\u2192b', num: true, sv: function (r) { return r.counts.a.messages; }, fmt: function (r) { return r.counts.a.messages; } },
    { label: 'msgs b\u2192a', num: true, sv: function (r) { return r.counts.b.messages; }, fmt: function (r) { return r.counts.b.messages; } },
    { label: 'A a\u2192b', num: true, title: 'prefixes announced by a', sv: function (r) { return r.counts.a.announcements; }, fmt: function (r) { return r.counts.a.announcements; } },
    { label: 'W a\u2192b', num: true, title: 'prefixes withdrawn by a', sv: function (r) { return r.counts.a.withdrawals; }, fmt: function (r) { return r.counts.a.withdrawals; } },
    { label: 'A b\u2192a', num: true, sv: function (r) { return r.counts.b.announcements; }, fmt: function (r) { return r.counts.b.announcements; } },
    { label: 'W b\u2192a', num: true, sv: function (r) { return r.counts.b.withdrawals; }, fmt: function (r) { return r.counts.b.withdrawals; } },
    { label: 'NOTIFICATIONs', fmt: function (r) { return r.notifications.join(' | '); } },
    { label: 'first', fmt: function (r) { return fmtTime(r.first).slice(0, 23); }, sv: function (r) { return r.first; } },
    { label: 'last', fmt: function (r) { return fmtTime(r.last).slice(0, 23); }, sv: function (r) { return r.last; } }
  ].filter(Boolean), rows, { sort: 0, id: 'sessions-table' });
  s.appendChild(t.el);
})();
function capsShort(list) {
  var out = [];
  list.forEach(function (c) { var x = CAP_SHORT[c] || c; if (out.indexOf(x) < 0) out.push(x); });
  return out.join(' ');
}
function capsText(r) {
  var a = capsShort(r.a.capabilities) || '?', b = capsShort(r.b.capabilities) || '?';
  var ap = r.a.add_path.concat(r.b.add_path);
  return (a === b ? a : 'a: ' + a + ' / b: ' + b) + (ap.length ? ' (' + ap.join(', ') + ')' : '');
}
function speakerNode(sp) {
  return el('span', null, [sp.ip, el('br'), el('span', { 'class': sp.peering ? 'asn-peering' : null, text: asnText(sp.asn) }), sp.bgp_id ? ' id ' + sp.bgp_id : '']);
}
function legendItem(c, text) { return el('span', null, [el('span', { 'class': 'sw', style: 'background:' + c }), text]); }

// ---------------------------------------------------------------------------------------------- rates
(function rates() {
  var R = D.rates;
  var per = R.bucket_seconds === 1 ? 'per second' : 'per ' + R.bucket_seconds + ' s';
  var s = section('rates', 'Update rate', 'Prefixes announced (green) and withdrawn (red) ' + per + ' for each session: side a\u2192b above the line, b\u2192a below. Drag across a chart to zoom (all time axes follow), double-click for the whole capture; hover for counts.');
  if (!R.series.length) { s.appendChild(el('div', { 'class': 'empty', text: 'No UPDATE with prefixes in the input.' })); return; }
  var log = el('input', { type: 'checkbox', id: 'ratelog' });
  s.appendChild(el('div', { 'class': 'legend' }, [legendItem('#2e9d4a', 'announced'), legendItem('#d1352b', 'withdrawn'), el('label', null, [log, ' logarithmic scale'])]));
  var box = el('div', { 'class': 'chart-box', id: 'rate-charts' });
  s.appendChild(box);
  var LBL = 270;
  var bySess = {};
  R.series.forEach(function (x) { (bySess[x.session] = bySess[x.session] || {})[x.dir] = x; });
  // The total over all sessions and directions.
  var totMap = {};
  R.series.forEach(function (x) {
    for (var i = 0; i < x.t.length; i++) {
      var v = totMap[x.t[i]] || (totMap[x.t[i]] = [0, 0, 0]);
      v[0] += x.announcements[i]; v[1] += x.withdrawals[i]; v[2] += x.updates[i];
    }
  });
  var totKeys = Object.keys(totMap).map(Number).sort(function (a, b) { return a - b; });
  var total = { t: totKeys, announcements: totKeys.map(function (k) { return totMap[k][0]; }), withdrawals: totKeys.map(function (k) { return totMap[k][1]; }), updates: totKeys.map(function (k) { return totMap[k][2]; }) };
  var charts = [];
  function addChart(title, sub, up, down, sid) {
    var cv = el('canvas');
    var cbox = el('div', { 'class': 'rate-cv' }, cv);
    var points = (up ? up.t.length : 0) + (down ? down.t.length : 0);
    var row = el('div', { 'class': 'rate-row rate-chart', 'data-session': sid === null ? 'all' : sid, 'data-a': sid === null ? null : sess(sid).a.ip, 'data-b': sid === null ? null : sess(sid).b.ip, 'data-points': points }, [
      el('div', { 'class': 'rate-lbl' }, [el('b', { text: title, style: sid === null ? null : 'color:' + color(sid) })].concat(sub.split('\n').map(function (x) { return el('div', { 'class': 'dirs', text: x }); }))), cbox
    ]);
    box.appendChild(row);
    var ch = { cv: cv, box: cbox, up: up, down: down, sid: sid, h: sid === null ? 110 : (down ? 96 : 64), cols: null, axis: sid === null };
    charts.push(ch);
    dragZoom(cbox, { min: 0 }, function (x, w) { return view.t0 + x / w * (view.t1 - view.t0); });
    cbox.addEventListener('mousemove', function (ev) { hover(ch, ev); });
    cbox.addEventListener('mouseleave', hideTip);
  }
  addChart('All sessions', 'both directions, ' + per, total, null, null);
  D.sessions.forEach(function (si) {
    var x = bySess[si.id];
    if (!x) return;
    addChart('#' + si.id + ' ' + (si.mux ? si.mux + ': ' : '') + si.a.ip + ' \u2194 ' + si.b.ip, '\u2191 ' + si.a.ip + ' ' + asnText(si.a.asn) + ' \u2192 ' + si.b.ip + '\n\u2193 ' + si.b.ip + ' ' + asnText(si.b.asn) + ' \u2192 ' + si.a.ip, x.a || null, x.b || { t: [], announcements: [], withdrawals: [], updates: [] }, si.id);
  });
  function columns(series, W) {
    // Per pixel column: the bucket with the most prefixes (so a spike is never averaged away).
    var a = new Float64Array(W), w = new Float64Array(W), idx = new Int32Array(W).fill(-1);
    if (!series) return { a: a, w: w, idx: idx };
    var B = R.bucket_seconds, O = R.origin, span = view.t1 - view.t0;
    for (var i = 0; i < series.t.length; i++) {
      var t = O + series.t[i] * B;
      if (t + B < view.t0 || t > view.t1) continue;
      var x0 = Math.floor((t - view.t0) / span * W), x1 = Math.floor((t + B - view.t0) / span * W);
      if (x1 <= x0) x1 = x0 + 1;
      for (var x = Math.max(0, x0); x < Math.min(W, x1); x++) {
        var v = series.announcements[i] + series.withdrawals[i];
        if (idx[x] < 0 || v > a[x] + w[x]) { a[x] = series.announcements[i]; w[x] = series.withdrawals[i]; idx[x] = i; }
      }
    }
    return { a: a, w: w, idx: idx };
  }
  function draw() {
    var useLog = log.checked;
    charts.forEach(function (ch) {
      var W = Math.max(200, Math.floor(ch.box.clientWidth || 800)), H = ch.h, dpr = window.devicePixelRatio || 1;
      ch.cv.width = W * dpr; ch.cv.height = H * dpr; ch.cv.style.height = H + 'px';
      var c = ch.cv.getContext('2d');
      c.setTransform(dpr, 0, 0, dpr, 0, 0);
      c.clearRect(0, 0, W, H);
      var up = columns(ch.up, W), dn = ch.down ? columns(ch.down, W) : null;
      ch.cols = { up: up, dn: dn, W: W };
      var max = 1;
      for (var x = 0; x < W; x++) { max = Math.max(max, up.a[x] + up.w[x]); if (dn) max = Math.max(max, dn.a[x] + dn.w[x]); }
      var axisH = ch.axis ? 16 : 0;
      var mid = ch.down ? (H - axisH) / 2 : H - axisH - 1;
      var room = ch.down ? mid - 12 : mid - 12;
      var sc = function (v) { return v <= 0 ? 0 : useLog ? Math.log(1 + v) / Math.log(1 + max) * room : v / max * room; };
      var tk = ticks(view.t0, view.t1, Math.max(3, Math.floor(W / 110)));
      c.strokeStyle = '#eceff2'; c.lineWidth = 1;
      tk.list.forEach(function (t) { var x = Math.round((t - view.t0) / (view.t1 - view.t0) * W) + 0.5; c.beginPath(); c.moveTo(x, 0); c.lineTo(x, H - axisH); c.stroke(); });
      function bars(cols, sign) {
        for (var x = 0; x < W; x++) {
          if (cols.idx[x] < 0) continue;
          var ha = sc(cols.a[x] + cols.w[x]), hw = cols.w[x] > 0 ? sc(cols.a[x] + cols.w[x]) - sc(cols.a[x]) : 0;
          if (cols.w[x] > 0 && hw < 1) hw = 1;
          var hA = Math.max(ha - hw, cols.a[x] > 0 ? 1 : 0);
          c.fillStyle = '#2e9d4a';
          if (sign < 0) c.fillRect(x, mid, 1, hA); else c.fillRect(x, mid - hA, 1, hA);
          c.fillStyle = '#d1352b';
          if (sign < 0) c.fillRect(x, mid + hA, 1, hw); else c.fillRect(x, mid - hA - hw, 1, hw);
        }
      }
      bars(up, 1);
      if (dn) bars(dn, -1);
      c.strokeStyle = '#9aa5b1'; c.beginPath(); c.moveTo(0, mid + 0.5); c.lineTo(W, mid + 0.5); c.stroke();
      c.fillStyle = '#5b6570'; c.font = '11px system-ui, sans-serif';
      c.fillText('max ' + num(max) + ' ' + per + (useLog ? ' (log)' : ''), 4, 11);
      if (ch.axis) {
        c.fillStyle = '#5b6570';
        tk.list.forEach(function (t) { var x = (t - view.t0) / (view.t1 - view.t0) * W; var s2 = fmtClock(t, tk.step); c.fillText(s2, Math.min(W - 60, Math.max(0, x - 24)), H - 4); });
      }
    });
  }
  function hover(ch, ev) {
    if (!ch.cols) return;
    var r = ch.cv.getBoundingClientRect();
    var x = Math.floor(ev.clientX - r.left);
    if (x < 0 || x >= ch.cols.W) return;
    var lines = [];
    function one(series, cols, label) {
      if (!series || !cols || cols.idx[x] < 0) return;
      var i = cols.idx[x], t = R.origin + series.t[i] * R.bucket_seconds;
      lines.push(label + fmtTime(t, false) + (R.bucket_seconds > 1 ? ' +' + R.bucket_seconds + ' s' : '') + ': ' + num(series.announcements[i]) + ' announced, ' + num(series.withdrawals[i]) + ' withdrawn (' + num(series.updates[i]) + ' UPDATEs)');
    }
    if (ch.sid === null) one(ch.up, ch.cols.up, '');
    else {
      one(ch.up, ch.cols.up, '\u2191 ' + dirText(ch.sid, 'a') + '\n  ');
      one(ch.down, ch.cols.dn, '\u2193 ' + dirText(ch.sid, 'b') + '\n  ');
    }
    if (lines.length) showTip(lines.join('\n'), ev.clientX, ev.clientY); else hideTip();
  }
  log.addEventListener('change', draw);
  redrawers.push(draw);

  s.appendChild(el('h3', { text: 'Busiest seconds', style: 'font-size:14px;margin:14px 0 2px' }));
  var t = table([
    { label: 'time (UTC)', fmt: function (r) { return fmtTime(r.t, false); }, sv: function (r) { return r.t; } },
    { label: 'session', fmt: function (r) { return '#' + r.session + ' ' + dirText(r.session, r.dir); }, sv: function (r) { return r.session; } },
    { label: 'announced', key: 'announcements', num: true },
    { label: 'withdrawn', key: 'withdrawals', num: true },
    { label: 'total', num: true, sv: function (r) { return r.announcements + r.withdrawals; }, fmt: function (r) { return r.announcements + r.withdrawals; } }
  ], R.busiest, { sort: 4, desc: true, id: 'busiest-table', note: 'click a row to zoom there', onRow: function (r, tr) {
    tr.className = 'click';
    tr.addEventListener('click', function () { setView(r.t - 30, r.t + 31); document.getElementById('rates').scrollIntoView(); });
  } });
  s.appendChild(t.el);
})();

// ---------------------------------------------------------------------------------------------- prefixes
(function prefixes() {
  var P = D.prefixes;
  var help = (P.selection === 'given' ? 'History of the prefixes given with --prefix. ' : 'History of the ' + P.list.length + ' prefixes with the most announcements and withdrawals (choose others with --prefix). ') +
    'Click a prefix: every announcement (green dot) and withdrawal (red cross) per session and direction, path changes ringed in orange, and the AS paths as a graph (origin on the right; PEERING ASNs blue, poisoned ASNs red).';
  var s = section('prefixes', 'Prefix history', help);
  var byPrefix = {};
  P.list.forEach(function (h) { byPrefix[h.prefix] = h; });
  var two = el('div', { 'class': 'two' });
  s.appendChild(two);
  var left = el('div'), right = el('div', { 'class': 'detail', id: 'prefix-detail' });
  two.appendChild(left); two.appendChild(right);
  var current = null;
  var rowsByPrefix = {};
  var t = table([
    { label: 'prefix', key: 'prefix', mono: true, sv: function (r) { return r.prefix; } },
    { label: 'events', key: 'events', num: true },
    { label: 'A', key: 'announcements', num: true, title: 'announcements' },
    { label: 'W', key: 'withdrawals', num: true, title: 'withdrawals' },
    { label: 'path chg', num: true, title: 'path changes (prefixes with history only)', sv: function (r) { return byPrefix[r.prefix] ? byPrefix[r.prefix].path_changes : null; }, fmt: function (r) { return byPrefix[r.prefix] ? byPrefix[r.prefix].path_changes : null; } },
    { label: 'sessions', num: true, sv: function (r) { return byPrefix[r.prefix] ? byPrefix[r.prefix].sessions.length : null; }, fmt: function (r) { return byPrefix[r.prefix] ? byPrefix[r.prefix].sessions.length : null; } }
  ], P.ranking, { sort: 1, desc: true, id: 'prefix-table', note: 'grey: no history kept (rerun with --prefix)', rowClass: function (r) { return r.detail ? 'click prefix-row' : 'nodetail'; }, onRow: function (r, tr) {
    tr.setAttribute('data-prefix', r.prefix);
    rowsByPrefix[r.prefix] = tr;
    if (r.prefix === current) tr.classList.add('current');
    if (r.detail) tr.addEventListener('click', function () { show(r.prefix, true); });
    else tr.setAttribute('data-tip', 'no history kept for this prefix: run bgpcap report with --prefix ' + r.prefix);
  } });
  left.appendChild(t.el);
  if (!P.list.length) right.appendChild(el('div', { 'class': 'empty', text: P.ranking.length ? 'No prefix history kept.' : 'No prefix was announced or withdrawn.' }));

  function show(prefix, scroll) {
    var h = byPrefix[prefix];
    if (!h) return;
    current = prefix;
    Object.keys(rowsByPrefix).forEach(function (k) { rowsByPrefix[k].classList.toggle('current', k === prefix); });
    if (history.replaceState) history.replaceState(null, '', '#prefix=' + encodeURIComponent(prefix));
    detail(h);
    if (scroll) right.scrollIntoView({ block: 'nearest' });
  }

  function detail(h) {
    clear(right);
    right.setAttribute('data-prefix', h.prefix);
    right.appendChild(el('h3', { text: h.prefix }));
    var sum = h.announcements + ' announcements, ' + h.withdrawals + ' withdrawals, ' + h.path_changes + ' path change' + (h.path_changes === 1 ? '' : 's') + ', ' + h.attr_changes + ' attribute change' + (h.attr_changes === 1 ? '' : 's') + ' on ' + h.sessions.length + ' session' + (h.sessions.length === 1 ? '' : 's');
    right.appendChild(el('div', { 'class': 'sum', text: sum }));
    var badges = el('div');
    if (h.poisoned.length) badges.appendChild(el('span', { 'class': 'badge bad', text: 'poisoned: ' + h.poisoned.map(asnText).join(', ') }));
    if (h.history_dropped) badges.appendChild(el('span', { 'class': 'badge', text: h.history_dropped + ' later events not listed' }));
    right.appendChild(badges);
    // One warning per ASN; the sessions where it happened listed under it.
    var leakBy = {};
    h.poison_leaks.forEach(function (l) { (leakBy[l.asn] = leakBy[l.asn] || []).push(l); });
    Object.keys(leakBy).forEach(function (asn) {
      var ls = leakBy[asn], first = ls[0];
      var box = el('div', { 'class': 'warnbox leak-warning' }, [
        el('b', { text: 'Poisoning did not hold: ' + asnText(Number(asn)) }),
        ' appears upstream of the PEERING ASN in ' + pathText(first.as_path) + ' (session #' + first.session + ' ' + dirText(first.session, first.dir) + ')' + (ls.length > 1 ? ' and ' + (ls.length - 1) + ' more:' : '')
      ]);
      if (ls.length > 1) box.appendChild(el('details', null, [el('summary', { text: 'all ' + ls.length }), el('ul', null, ls.map(function (l) { return el('li', { text: '#' + l.session + ' ' + dirText(l.session, l.dir) + ': ' + pathText(l.as_path) }); }))]));
      right.appendChild(box);
    });
    // Timeline: one lane per session and direction.
    var lanes = [], laneOf = {};
    h.history.forEach(function (e) { var k = e.session + e.dir; if (laneOf[k] === undefined) { laneOf[k] = lanes.length; lanes.push({ session: e.session, dir: e.dir }); } });
    lanes.sort(function (x, y) { return x.session - y.session || (x.dir < y.dir ? -1 : 1); });
    lanes.forEach(function (l, i) { laneOf[l.session + l.dir] = i; });
    var evs = h.history;
    var p0 = evs.length ? evs[0].t : T0, p1 = evs.length ? evs[evs.length - 1].t : T1;
    var padT = Math.max((p1 - p0) * 0.04, 0.5);
    var pv = { t0: p0 - padT, t1: p1 + padT };
    var tlBox = el('div', { 'class': 'chart-box ptl', id: 'prefix-timeline' });
    right.appendChild(tlBox);
    right.appendChild(el('div', { 'class': 'legend' }, [legendItem('#2e9d4a', '\u25CF announced'), legendItem('#d1352b', '\u2716 withdrawn'), legendItem('#f08c00', '\u25EF AS path changed'), legendItem('#e0b800', '\u25EF other attributes changed'), el('span', { text: 'drag to zoom, double-click to reset' })]));
    var LBL = 230, ROW = lanes.length > 16 ? 18 : 26, TOP = 22;
    var sel = null;
    function drawTl() {
      clear(tlBox);
      var W = Math.max(600, tlBox.clientWidth || 900), H = TOP + ROW * Math.max(1, lanes.length) + 6;
      var X = function (t) { return LBL + (t - pv.t0) / (pv.t1 - pv.t0) * (W - LBL - 12); };
      var g = sv('svg', { width: W, height: H });
      var ax = sv('g', { 'class': 'axis' });
      var tk = ticks(pv.t0, pv.t1, Math.max(3, Math.floor((W - LBL) / 110)));
      tk.list.forEach(function (t) { var x = X(t); ax.appendChild(sv('line', { x1: x, x2: x, y1: TOP - 4, y2: H })); ax.appendChild(sv('text', { x: x, y: 14, 'text-anchor': 'middle', text: fmtClock(t, tk.step) })); });
      g.appendChild(ax);
      g.appendChild(sv('clipPath', { id: 'ptlclip' }, sv('rect', { x: LBL - 8, y: 0, width: W - LBL + 8, height: H })));
      lanes.forEach(function (l, i) {
        var y = TOP + i * ROW;
        g.appendChild(sv('rect', { x: 0, y: y, width: W, height: ROW, fill: i % 2 ? '#fafbfc' : '#fff' }));
        g.appendChild(sv('rect', { x: 2, y: y + 5, width: 4, height: ROW - 10, fill: color(l.session) }));
        g.appendChild(sv('text', { 'class': 'lbl', x: 10, y: y + 17, 'font-size': 11.5, text: '#' + l.session + ' ' + dirText(l.session, l.dir) }));
      });
      var body = sv('g', { 'clip-path': 'url(#ptlclip)' });
      evs.forEach(function (e, i) {
        var x = X(e.t), y = TOP + laneOf[e.session + e.dir] * ROW + ROW / 2;
        var tipText = fmtTime(e.t) + '  #' + e.session + ' ' + dirText(e.session, e.dir) + '\n' + (e.type === 'A' ? 'announced' : 'withdrawn') + (e.path_id !== null ? ' (path id ' + e.path_id + ')' : '') +
          (e.type === 'A' ? '\nAS path: ' + pathText(e.as_path) + '\nnext hop: ' + (e.next_hop || '-') + (e.communities ? '\ncommunities: ' + list(e.communities) : '') + (e.large_communities ? '\nlarge: ' + list(e.large_communities) : '') + (e.med !== null ? '\nMED ' + e.med : '') : '') +
          (e.path_change ? '\nAS PATH CHANGED' : e.attr_change ? '\nattributes changed' : '');
        var parts = [sv('rect', { x: x - 6, y: y - 10, width: 12, height: 20, fill: 'transparent' })];
        if (e.path_change) parts.push(sv('circle', { 'class': 'pc', cx: x, cy: y, r: 8, fill: 'none', stroke: '#f08c00', 'stroke-width': 2.5 }));
        else if (e.attr_change) parts.push(sv('circle', { 'class': 'ac', cx: x, cy: y, r: 8, fill: 'none', stroke: '#e0b800', 'stroke-width': 2 }));
        if (e.type === 'A') parts.push(sv('circle', { cx: x, cy: y, r: 4.2, fill: '#2e9d4a' }));
        else parts.push(sv('path', { d: 'M' + (x - 4) + ' ' + (y - 4) + ' l8 8 M' + (x + 4) + ' ' + (y - 4) + ' l-8 8', stroke: '#d1352b', 'stroke-width': 2.5 }));
        var gEv = sv('g', { 'class': 'ev ev-' + e.type, 'data-i': i, 'data-tip': tipText, style: 'cursor:pointer' }, parts);
        gEv.addEventListener('click', function () { setStep(i); flashRow(i); });
        body.appendChild(gEv);
      });
      if (sel !== null && evs[sel]) {
        var xs = X(evs[sel].t);
        body.appendChild(sv('line', { x1: xs, x2: xs, y1: TOP - 4, y2: H, stroke: '#0b5cad', 'stroke-dasharray': '3 3' }));
      }
      g.appendChild(body);
      tlBox.appendChild(g);
    }
    // Local zoom of the prefix timeline.
    (function () {
      var selDiv = el('div', { 'class': 'sel' });
      var x0 = null;
      tlBox.addEventListener('mousedown', function (ev) { if (ev.button !== 0) return; var r = tlBox.getBoundingClientRect(); x0 = ev.clientX - r.left; if (x0 < LBL) { x0 = null; return; } tlBox.appendChild(selDiv); selDiv.style.left = x0 + 'px'; selDiv.style.width = '0px'; selDiv.style.display = 'block'; ev.preventDefault(); });
      window.addEventListener('mousemove', function (ev) { if (x0 === null) return; var r = tlBox.getBoundingClientRect(); var x = Math.max(LBL, Math.min(r.width, ev.clientX - r.left)); selDiv.style.left = Math.min(x0, x) + 'px'; selDiv.style.width = Math.abs(x - x0) + 'px'; });
      window.addEventListener('mouseup', function (ev) {
        if (x0 === null) return;
        var r = tlBox.getBoundingClientRect(), W = Math.max(600, r.width);
        var x = Math.max(LBL, Math.min(r.width, ev.clientX - r.left));
        selDiv.style.display = 'none';
        var a = Math.min(x0, x), b = Math.max(x0, x); x0 = null;
        if (b - a > 4) { var ta = pv.t0 + (a - LBL) / (W - LBL - 12) * (pv.t1 - pv.t0), tb = pv.t0 + (b - LBL) / (W - LBL - 12) * (pv.t1 - pv.t0); pv.t0 = ta; pv.t1 = tb; drawTl(); }
      });
      tlBox.addEventListener('dblclick', function () { pv.t0 = p0 - padT; pv.t1 = p1 + padT; drawTl(); });
    })();

    // Time slider + AS graph: the paths in use after event i.
    var slider = el('input', { type: 'range', min: 0, max: Math.max(0, evs.length - 1), value: Math.max(0, evs.length - 1), 'aria-label': 'moment in the prefix history' });
    var sLabel = el('span', { style: 'min-width:360px' });
    right.appendChild(el('h3', { text: 'AS paths', style: 'font-size:14px;margin:14px 0 2px' }));
    right.appendChild(el('div', { 'class': 'slider' }, [el('span', { text: 'state after' }), slider, sLabel]));
    var gBox = el('div', { 'class': 'chart-box graph', id: 'as-graph' });
    right.appendChild(gBox);
    right.appendChild(el('div', { 'class': 'legend' }, [legendItem('#e3eefb', 'PEERING ASN'), legendItem('#fbe3e1', '\u2620 poisoned ASN'), el('span', { text: '! dashed red: a poisoned ASN that passed the route on' }), el('span', { text: 'thick border: origin' }), el('span', { text: 'coloured lines: the path each session uses at the chosen moment; grey: paths seen at other times' })]));
    var graph = layoutGraph(h);
    function setStep(i) {
      sel = i;
      slider.value = String(i);
      var e = evs[i];
      sLabel.textContent = e ? 'event ' + (i + 1) + ' of ' + evs.length + ': ' + fmtTime(e.t) + ' ' + (e.type === 'A' ? 'announced' : 'withdrawn') + ' on #' + e.session : 'no events';
      drawGraph(gBox, h, graph, stateAt(i));
      drawTl();
    }
    var nodesOf = {};
    h.paths.forEach(function (p) { nodesOf[p.session + '|' + p.dir + '|' + (p.path_id === null ? '' : p.path_id) + '|' + JSON.stringify(p.as_path)] = p.nodes; });
    function stateAt(i) {
      var st = {};
      for (var k = 0; k <= i && k < evs.length; k++) {
        var e = evs[k];
        var key = e.session + '|' + e.dir + '|' + (e.path_id === null ? '' : e.path_id);
        st[key] = e.type === 'A' ? { session: e.session, dir: e.dir, path: e.as_path || [], nodes: nodesOf[key + '|' + JSON.stringify(e.as_path || [])] || [] } : { session: e.session, dir: e.dir, path: null, nodes: [] };
      }
      return st;
    }
    slider.addEventListener('input', function () { setStep(Number(slider.value)); });

    right.appendChild(el('h3', { text: 'Announcements and withdrawals', style: 'font-size:14px;margin:14px 0 2px' }));
    var rowEls = {};
    var ht = table([
      { label: 'time (UTC)', fmt: function (r) { return fmtTime(r.t); }, sv: function (r) { return r.t; }, mono: true, nowrap: true },
      { label: 'session', fmt: function (r) { return '#' + r.session + ' ' + dirText(r.session, r.dir); }, sv: function (r) { return r.session * 2 + (r.dir === 'b' ? 1 : 0); }, nowrap: true },
      { label: '', key: 'type', title: 'A announced, W withdrawn' },
      { label: 'path id', key: 'path_id', num: true },
      { label: 'AS path', txt: function (r) { return pathText(r.as_path); }, fmt: function (r) { return r.type === 'A' ? pathNode(r.as_path, h.poisoned) : null; }, sv: function (r) { return pathText(r.as_path); }, mono: true, nowrap: true },
      { label: 'change', fmt: function (r) { return r.path_change ? 'path' : r.attr_change ? 'attributes' : ''; } },
      { label: 'next hop', fmt: function (r) { return r.next_hop; }, mono: true },
      { label: 'origin', key: 'origin' },
      { label: 'MED', key: 'med', num: true },
      { label: 'LP', key: 'local_pref', num: true },
      { label: 'communities', fmt: function (r) { return list(r.communities); }, mono: true },
      { label: 'large communities', fmt: function (r) { return list(r.large_communities); }, mono: true }
    ], evs, { sort: 0, id: 'history-table', limit: 500, rowClass: function (r) { return 'click hist-row' + (r.path_change ? ' pc' : ''); }, onRow: function (r, tr) {
      var i = evs.indexOf(r);
      rowEls[i] = tr;
      tr.addEventListener('click', function () { setStep(i); });
    } });
    right.appendChild(ht.el);
    function flashRow(i) {
      var tr = rowEls[i];
      if (!tr) return;
      tr.classList.add('flash');
      tr.scrollIntoView({ block: 'nearest' });
      setTimeout(function () { tr.classList.remove('flash'); }, 1200);
    }
    // Start where the most paths are in use (the latest such moment): the picture before things went away.
    var best = Math.max(0, evs.length - 1), bestN = -1, live = {}, nLive = 0;
    evs.forEach(function (e, i) {
      var k = e.session + '|' + e.dir + '|' + (e.path_id === null ? '' : e.path_id);
      var was = !!live[k];
      live[k] = e.type === 'A';
      nLive += (live[k] ? 1 : 0) - (was ? 1 : 0);
      if (nLive >= bestN) { bestN = nLive; best = i; }
    });
    setStep(best);
  }

  var fromHash = /^#prefix=(.+)$/.exec(location.hash);
  var start = fromHash && byPrefix[decodeURIComponent(fromHash[1])] ? decodeURIComponent(fromHash[1]) : P.list.length ? P.list[0].prefix : null;
  if (start !== null) show(start, false);
})();

// BGPlay-like layered layout: the origin on the right, observation points (sessions) on the left, every ASN
// in the column of its smallest distance to the origin; rows ordered by the barycenter of their neighbours.
function layoutGraph(h) {
  var nodes = h.graph.nodes.slice(), byId = {};
  var maxL = 0;
  nodes.forEach(function (n) { byId[n.id] = n; if (n.layer > maxL) maxL = n.layer; });
  var sessNodes = [];
  var seen = {};
  h.paths.forEach(function (p) {
    var k = p.session + '|' + p.dir;
    if (seen[k]) return;
    seen[k] = true;
    sessNodes.push({ id: 's' + k, session: p.session, dir: p.dir, layer: maxL + 1, sess: true });
  });
  var cols = [];
  for (var i = 0; i <= maxL + 1; i++) cols.push([]);
  nodes.forEach(function (n) { cols[n.layer].push(n); });
  sessNodes.forEach(function (n) { cols[maxL + 1].push(n); byId[n.id] = n; });
  var nbr = {};
  function link(a, b) { (nbr[a] = nbr[a] || []).push(b); (nbr[b] = nbr[b] || []).push(a); }
  h.graph.edges.forEach(function (e) { link(e.from, e.to); });
  h.paths.forEach(function (p) { if (p.nodes.length) link('s' + p.session + '|' + p.dir, p.nodes[0]); });
  cols.forEach(function (c) { c.sort(function (x, y) { return x.id < y.id ? -1 : 1; }); c.forEach(function (n, i) { n.pos = i - (c.length - 1) / 2; }); });
  for (var it = 0; it < 4; it++) {
    var order = it % 2 ? cols.slice().reverse() : cols;
    order.forEach(function (c) {
      c.forEach(function (n) { var ns = nbr[n.id] || []; if (ns.length) n.bc = ns.reduce(function (s, m) { return s + (byId[m] ? byId[m].pos : 0); }, 0) / ns.length; else n.bc = n.pos; });
      c.sort(function (x, y) { return x.bc - y.bc; });
      c.forEach(function (n, i) { n.pos = i - (c.length - 1) / 2; });
    });
  }
  var maxRows = cols.reduce(function (m, c) { return Math.max(m, c.length); }, 1);
  return { cols: cols, byId: byId, maxL: maxL, maxRows: maxRows };
}
function drawGraph(box, h, L, state) {
  clear(box);
  var ncol0 = L.cols.length;
  var W = Math.max(600, box.clientWidth || 900, ncol0 * 112 + 40);
  var RH = L.maxRows > 12 ? 30 : 44, H = Math.max(140, L.maxRows * RH + 40);
  var ncol = L.cols.length;
  // Sessions get a fixed column on the left (their labels are addresses); AS columns share the rest.
  var SW = 190;
  var colW = (W - SW - 30) / Math.max(1, ncol - 1);
  var NW = Math.max(40, Math.min(100, colW - 16)), NH = 24;
  var pos = {};
  L.cols.forEach(function (c, li) {
    c.forEach(function (n) { pos[n.id] = n.sess ? { x: 10 + SW / 2, y: H / 2 + n.pos * RH, hw: SW / 2 - 10 } : { x: W - 20 - colW * li - colW / 2, y: H / 2 + n.pos * RH, hw: NW / 2 }; });
  });
  var g = sv('svg', { width: W, height: H });
  g.appendChild(sv('defs', null, sv('marker', { id: 'arr', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, sv('path', { d: 'M0 0 L10 5 L0 10 z', fill: '#b8c0c8' }))));
  function curve(a, b, bend) {
    var x1 = a.x + a.hw, x2 = b.x - b.hw, y1 = a.y, y2 = b.y;
    if (b.x <= a.x) { x1 = a.x; x2 = b.x; var up = Math.min(a.y, b.y) - NH / 2 - 18 - (bend || 0); return 'M' + x1 + ' ' + (y1 - NH / 2) + ' C' + x1 + ' ' + up + ' ' + x2 + ' ' + up + ' ' + x2 + ' ' + (y2 - NH / 2); }
    var mx = (x1 + x2) / 2;
    return 'M' + x1 + ' ' + (y1 + (bend || 0)) + ' C' + mx + ' ' + (y1 + (bend || 0)) + ' ' + mx + ' ' + (y2 + (bend || 0)) + ' ' + x2 + ' ' + (y2 + (bend || 0));
  }
  var maxCount = h.graph.edges.reduce(function (m, e) { return Math.max(m, e.count); }, 1);
  var eg = sv('g');
  h.graph.edges.forEach(function (e) {
    var a = pos[e.from], b = pos[e.to];
    if (!a || !b) return;
    eg.appendChild(sv('path', { 'class': 'edge', d: curve(a, b, 0), 'stroke-width': 1 + 3 * Math.log(1 + e.count) / Math.log(1 + maxCount), 'marker-end': 'url(#arr)', 'data-tip': 'AS' + e.from + ' \u2192 AS' + e.to + ': ' + e.count + ' announcement' + (e.count === 1 ? '' : 's') + ' on session' + (e.sessions.length === 1 ? ' #' : 's #') + e.sessions.join(', #') }));
  });
  // Seen paths from sessions to their first hop (grey).
  h.paths.forEach(function (p) {
    var a = pos['s' + p.session + '|' + p.dir], b = p.nodes.length ? pos[p.nodes[0]] : null;
    if (a && b) eg.appendChild(sv('path', { 'class': 'edge', d: curve(a, b, 0), 'stroke-dasharray': '4 3' }));
  });
  g.appendChild(eg);
  // Paths in use at the chosen moment, one colour per session.
  var ag = sv('g');
  var k = 0;
  Object.keys(state).sort().forEach(function (key) {
    var st = state[key];
    if (!st.path) return;
    var ids = ['s' + st.session + '|' + st.dir].concat(st.nodes);
    var off = (k++ % 5) * 2.5 - 5;
    for (var i = 0; i + 1 < ids.length; i++) {
      var a = pos[ids[i]], b = pos[ids[i + 1]];
      if (!a || !b) continue;
      ag.appendChild(sv('path', { 'class': 'active-path', d: curve(a, b, off), fill: 'none', stroke: color(st.session), 'stroke-width': 3, opacity: 0.85, 'data-tip': '#' + st.session + ' ' + dirText(st.session, st.dir) + ' uses ' + pathText(st.path) }));
    }
  });
  g.appendChild(ag);
  var ng = sv('g');
  L.cols.forEach(function (c) {
    c.forEach(function (n) {
      var p = pos[n.id];
      if (n.sess) {
        var withdrawn = Object.keys(state).some(function (key) { var s2 = state[key]; return s2.session === n.session && s2.dir === n.dir && !s2.path; }) &&
          !Object.keys(state).some(function (key) { var s2 = state[key]; return s2.session === n.session && s2.dir === n.dir && s2.path; });
        var sx = sess(n.session), from = side(sx, n.dir), to = side(sx, n.dir === 'a' ? 'b' : 'a');
        ng.appendChild(sv('g', { 'class': 'sess', 'data-tip': 'session #' + n.session + ': what ' + from.ip + ' (' + asnText(from.asn) + ') announced to ' + to.ip + (withdrawn ? '\nwithdrawn at this moment' : '') }, [
          sv('rect', { x: p.x - p.hw, y: p.y - NH / 2, width: 2 * p.hw, height: NH, rx: 12, fill: withdrawn ? '#f2f2f2' : '#fff', stroke: color(n.session), 'stroke-width': 2.5, 'stroke-dasharray': withdrawn ? '4 3' : null }),
          sv('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle', text: '#' + n.session + ' from ' + from.ip })
        ]));
        return;
      }
      var fill = n.poisoned ? '#fbe3e1' : n.peering ? '#e3eefb' : '#fff';
      var stroke = n.poisoned || n.leak ? '#c62828' : n.peering ? '#1565c0' : '#6b7680';
      var name = n.asn === null ? 'AS_SET ' + n.id.replace(/~.*$/, '') : 'AS' + n.asn;
      var role = n.role === 'poison' ? 'poisoned: placed in the path so that this AS drops the route' : n.role === 'origin' ? 'origin' : n.leak ? 'transit, yet poisoned in another path: the poisoning did not hold here' : 'transit';
      ng.appendChild(sv('g', { 'class': 'node role-' + n.role + (n.poisoned ? ' poisoned' : '') + (n.peering ? ' peering' : '') + (n.leak ? ' leak' : ''), 'data-asn': n.asn === null ? n.id : n.asn, 'data-tip': name + (n.peering ? ' (PEERING)' : '') + '\n' + role + '\n' + n.layer + ' hop' + (n.layer === 1 ? '' : 's') + ' from the origin' }, [
        sv('rect', { x: p.x - NW / 2, y: p.y - NH / 2, width: NW, height: NH, rx: 4, fill: fill, stroke: stroke, 'stroke-width': n.origin || n.leak ? 3 : 1.5, 'stroke-dasharray': n.leak ? '5 3' : null }),
        sv('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle', 'font-weight': n.peering || n.poisoned || n.origin ? 700 : 400, fill: n.poisoned || n.leak ? '#8e1b14' : '#1b1f24', text: (n.poisoned ? '\u2620 ' : n.leak ? '! ' : '') + (n.asn === null ? n.id.replace(/~.*$/, '') : 'AS' + n.asn) })
      ]));
    });
  });
  g.appendChild(ng);
  if (!h.paths.length) g.appendChild(sv('text', { x: 20, y: 30, fill: '#5b6570', text: 'No announcement: no AS path to draw.' }));
  box.appendChild(g);
}

// ---------------------------------------------------------------------------------------------- verify
if (D.verify) {
  (function verifySection() {
    var V = D.verify, vs = V.verdicts;
    var s = section('verify', 'Verify', 'The verdicts of ' + V.source + ': one row per mux and prefix. ok = as intended, fail = something differs (what was expected and what was seen), unknown = could not be checked.');
    var n = { ok: 0, fail: 0, unknown: 0 };
    vs.forEach(function (v) { n[v.status] = (n[v.status] || 0) + 1; });
    function card(k, v, cls) { return el('div', { 'class': 'card' + (cls ? ' ' + cls : '') }, [el('div', { 'class': 'v', text: v }), el('div', { 'class': 'k', text: k })]); }
    s.appendChild(el('div', { 'class': 'cards', id: 'verify-cards' }, [
      card('as intended', num(n.ok)), card('differ', num(n.fail), n.fail ? 'bad' : null), card('not checked', num(n.unknown)),
      V.exit_status === null ? null : card('verify exit status', String(V.exit_status), V.exit_status ? 'bad' : null)
    ]));
    var hasHist = {};
    D.prefixes.list.forEach(function (h) { hasHist[h.prefix] = true; });
    function lines(list) { return list.length ? el('div', null, list.map(function (x) { return el('div', { text: x }); })) : null; }
    var t = table([
      { label: 'mux', fmt: function (r) { return r.mux + (r.iface ? ' (' + r.iface + ')' : ''); }, sv: function (r) { return r.mux; } },
      { label: 'prefix', key: 'prefix', mono: true, fmt: function (r) {
        if (!hasHist[r.prefix]) return r.prefix;
        return el('a', { href: '#prefix=' + encodeURIComponent(r.prefix), text: r.prefix, title: 'show its history', onclick: function (ev) {
          ev.preventDefault();
          var tr = document.querySelector('#prefix-table tr[data-prefix="' + r.prefix.replace(/"/g, '') + '"]');
          if (tr) { tr.click(); document.getElementById('prefixes').scrollIntoView(); }
        } });
      }, txt: function (r) { return r.prefix; } },
      { label: 'intent', key: 'intent' },
      { label: 'status', txt: function (r) { return r.status; }, sv: function (r) { return r.status === 'fail' ? 0 : r.status === 'unknown' ? 1 : 2; }, fmt: function (r) {
        return el('span', { 'class': 'badge ' + (r.status === 'ok' ? 'good' : r.status === 'fail' ? 'bad' : 'unk'), text: r.status });
      } },
      { label: 'seen (client → mux)', txt: function (r) { return r.seen ? r.seen.state + ' ' + pathText(r.seen.as_path) : 'nothing'; }, fmt: function (r) {
        if (!r.seen) return 'nothing';
        return el('span', null, [r.seen.state + ' ' + fmtTime(r.seen.timestamp, false), r.seen.as_path ? el('br') : null, r.seen.as_path ? pathNode(r.seen.as_path, r.expected ? r.expected.poisons : null) : null]);
      }, sv: function (r) { return r.seen ? r.seen.timestamp : null; } },
      { label: 'expected AS path', txt: function (r) { return r.expected ? pathText(r.expected.as_path) : ''; }, fmt: function (r) { return r.expected ? pathNode(r.expected.as_path, r.expected.poisons) : null; }, mono: true },
      { label: 'latency', num: true, sv: function (r) { return r.latency; }, fmt: function (r) { return r.latency === null || r.latency === undefined ? null : fmtDur(r.latency); } },
      { label: 'differences', txt: function (r) { return r.checks.filter(function (c) { return c.status !== 'ok'; }).map(function (c) { return c.check + ': ' + c.message; }).join(' '); },
        fmt: function (r) { return lines(r.checks.filter(function (c) { return c.status !== 'ok'; }).map(function (c) { return c.check + ': ' + c.message; })); } },
      { label: 'returned', txt: function (r) { return (r.returned || []).map(function (x) { return pathText(x.as_path); }).join(' '); }, fmt: function (r) {
        var ret = r.returned || [];
        if (!ret.length) return null;
        var leaks = [];
        ret.forEach(function (x) { (x.leaked_poisons || []).forEach(function (a) { if (leaks.indexOf(a) < 0) leaks.push(a); }); });
        return el('span', { 'data-tip': ret.map(function (x) { return fmtTime(x.timestamp, false) + ' ' + x.state + ' ' + pathText(x.as_path) + (x.upstream_asn ? ' via AS' + x.upstream_asn : ''); }).join('\n') }, [ret.length + ' route' + (ret.length === 1 ? '' : 's'), leaks.length ? el('span', { 'class': 'badge bad', text: 'leaked: ' + leaks.map(asnText).join(', ') }) : null]);
      }, sv: function (r) { return (r.returned || []).length; } },
      { label: 'lints', txt: function (r) { return (r.lints || []).map(function (l) { return l.code; }).join(' '); }, fmt: function (r) { return (r.lints || []).length ? el('span', { 'data-tip': r.lints.map(function (l) { return l.message; }).join('\n'), text: r.lints.map(function (l) { return l.code; }).join(', ') }) : null; } },
      { label: 'notes', txt: function (r) { return (r.notes || []).join(' '); }, fmt: function (r) { return lines(r.notes || []); } }
    ], vs, { sort: 3, id: 'verify-table', rowClass: function (r) { return 'verdict-row verdict-' + r.status; } });
    s.appendChild(t.el);
    if (V.messages.length) s.appendChild(el('ul', { 'class': 'notes' }, V.messages.map(function (m) { return el('li', { text: m }); })));
  })();
}

// ---------------------------------------------------------------------------------------------- events
(function events() {
  var s = section('events', 'Events and malformed messages', 'Problems with the byte stream (gaps: lost segments or a capture starting mid-session; resets; truncated frames) and messages that could not be decoded, in time order.');
  if (!D.events.length) { s.appendChild(el('div', { 'class': 'empty', text: 'None: every byte of every BGP connection was captured and decoded.' })); return; }
  var t = table([
    { label: 'time (UTC)', fmt: function (r) { return fmtTime(r.t); }, sv: function (r) { return r.t; }, mono: true },
    { label: 'kind', key: 'kind' },
    { label: 'session', fmt: function (r) { return r.session === null ? '' : '#' + r.session + ' ' + dirText(r.session, r.dir); }, sv: function (r) { return r.session; } },
    { label: 'frame', key: 'frame', num: true },
    { label: 'file', key: 'file' },
    { label: 'bytes skipped', key: 'bytes_skipped', num: true },
    { label: 'what', key: 'text' }
  ], D.events, { sort: 0, id: 'events-table', note: D.events_dropped ? D.events_dropped + ' more not listed' : null });
  s.appendChild(t.el);
})();

var foot = el('footer', null, [
  'Generated by ' + D.generator + '. Every number on this page is in the JSON block ',
  el('code', { text: '\u003cscript type="application/json" id="bgpcap-data">' }),
  ' (report_version ' + D.report_version + '), e.g. ',
  el('code', { text: 'python3 -c "import json,re,sys; print(json.loads(re.search(r\'id=.bgpcap-data.>(.*?)</script>\', open(sys.argv[1]).read(), re.S).group(1))[\'totals\'])" report.html' })
]);
document.body.appendChild(foot);

setView(view.t0, view.t1);
var rt = null;
window.addEventListener('resize', function () { clearTimeout(rt); rt = setTimeout(function () { redrawers.forEach(function (f) { f(); }); }, 150); });
document.body.setAttribute('data-ready', '1');
})();
`;
