// The report page's style sheet, inlined into the HTML (no external resources).
export const PAGE_CSS = String.raw`
:root {
  --fg: #1b1f24; --muted: #5b6570; --line: #d7dce1; --bg: #ffffff; --panel: #f6f8fa; --accent: #0b5cad;
  --ann: #2e9d4a; --wd: #d1352b; --pc: #f08c00; --ac: #e0b800; --peering: #1565c0; --poison: #c62828;
  --warn-bg: #fff4e0; --warn-line: #f0b35a; --bad-bg: #fdecea; --bad-line: #e57373;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; font-size: 14px;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); }
header.top { padding: 14px 24px 10px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
header.top .sub { color: var(--muted); font-size: 13px; }
nav.sections { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 24px; display: flex; gap: 18px; align-items: center; flex-wrap: wrap; }
nav.sections a { color: var(--accent); text-decoration: none; font-weight: 600; }
nav.sections .range { margin-left: auto; color: var(--muted); font-size: 12px; }
nav.sections button, .btn { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
nav.sections button:hover, .btn:hover { background: var(--panel); }
main { padding: 0 24px 40px; }
section { margin-top: 22px; }
section > h2 { font-size: 17px; margin: 0 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
section > p.help { color: var(--muted); margin: 4px 0 10px; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 130px; background: #fff; }
.card .v { font-size: 20px; font-weight: 700; }
.card .k { color: var(--muted); font-size: 12px; }
.card.bad .v { color: var(--wd); }
.notes { margin: 10px 0 0; padding: 8px 12px 8px 28px; background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 6px; }
.notes li { margin: 2px 0; }
.meta { color: var(--muted); font-size: 12px; margin-top: 8px; word-break: break-all; }
.chart-box { position: relative; border: 1px solid var(--line); border-radius: 6px; background: #fff; overflow: hidden; }
svg text { font-family: inherit; }
.timeline .lbl { font-size: 12px; fill: var(--fg); }
.timeline .lbl2 { font-size: 11px; fill: var(--muted); }
.axis text { font-size: 11px; fill: var(--muted); }
.axis line { stroke: #e6e9ec; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin: 6px 2px; align-items: center; }
.legend .sw { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
.sel { position: absolute; top: 0; bottom: 0; background: rgba(11, 92, 173, 0.15); border-left: 1px solid var(--accent); border-right: 1px solid var(--accent); pointer-events: none; display: none; }
.rate-row { display: flex; align-items: stretch; border-bottom: 1px solid #eef0f2; }
.rate-row:last-child { border-bottom: 0; }
.rate-lbl { width: 270px; flex: none; padding: 6px 8px; font-size: 12px; border-right: 1px solid #eef0f2; background: #fcfcfd; }
.rate-lbl b { display: block; font-size: 12px; }
.rate-lbl .dirs { color: var(--muted); font-size: 11px; }
.rate-cv { flex: 1; position: relative; min-width: 0; cursor: crosshair; }
.rate-cv canvas { display: block; width: 100%; }
.two { display: grid; grid-template-columns: minmax(340px, 430px) minmax(0, 1fr); gap: 16px; align-items: start; }
@media (max-width: 1100px) { .two { grid-template-columns: 1fr; } }
.tbl { margin: 6px 0 12px; }
.tbar { display: flex; gap: 10px; align-items: center; margin-bottom: 4px; font-size: 12px; color: var(--muted); }
.tbar input { font: inherit; font-size: 12px; padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; width: 220px; }
.tscroll { overflow: auto; max-height: 560px; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eef0f2; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: var(--panel); cursor: pointer; user-select: none; white-space: nowrap; z-index: 1; }
th[aria-sort="ascending"]::after { content: " \25B2"; font-size: 9px; }
th[aria-sort="descending"]::after { content: " \25BC"; font-size: 9px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
td.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; }
tr.click { cursor: pointer; }
tr.click:hover td { background: #f0f6fd; }
tr.current td { background: #e3effc; }
tr.pc td { background: #fff3e0; }
tr.nodetail td { color: var(--muted); }
tr.flash td { background: #ffe9a8 !important; }
.more { margin: 6px 0; }
.asn-peering { color: var(--peering); font-weight: 700; }
.asn-poison { color: #fff; background: var(--poison); border-radius: 3px; padding: 0 3px; }
.badge { display: inline-block; font-size: 11px; padding: 1px 6px; border-radius: 10px; background: var(--panel); border: 1px solid var(--line); margin-right: 4px; }
.badge.bad { background: var(--bad-bg); border-color: var(--bad-line); color: #8e1b14; }
.badge.good { background: #e6f4ea; border-color: #8fcf9f; color: #1e6b33; }
.badge.unk { background: #fff4e0; border-color: #f0b35a; color: #7a4b00; }
.badge.peering { background: #e3eefb; border-color: #90b4e6; color: var(--peering); }
.warnbox { background: var(--bad-bg); border: 1px solid var(--bad-line); border-radius: 6px; padding: 6px 10px; margin: 8px 0; }
.detail h3 { margin: 0 0 4px; font-size: 16px; }
.detail .sum { color: var(--muted); margin-bottom: 8px; }
.slider { display: flex; gap: 10px; align-items: center; margin: 8px 0; font-size: 12px; }
.slider input { flex: 1; }
.graph { overflow: auto; }
.graph .node rect { stroke-width: 1.5; }
.graph .node text { font-size: 11px; }
.graph .edge { fill: none; stroke: #b8c0c8; }
.graph .sess text { font-size: 10.5px; }
.tip { position: fixed; z-index: 50; max-width: 520px; background: #1b1f24; color: #fff; font-size: 12px; padding: 6px 8px; border-radius: 4px; pointer-events: none; white-space: pre-wrap; display: none; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
.empty { color: var(--muted); font-style: italic; padding: 10px; }
footer { margin: 30px 24px; color: var(--muted); font-size: 12px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; background: var(--panel); padding: 0 3px; border-radius: 3px; }
`;
