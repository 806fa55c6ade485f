/**
 * The trace view as one HTML file: the view model as JSON, the page script (page.ts) and its style,
 * all inline. Nothing is fetched: the Content-Security-Policy allows no network at all, so the file
 * opens offline from disk and a trace's text cannot make the page load anything.
 */
import type { Trace } from '../read.js';
import { buildViewModel } from './model.js';
import { drawTraceView } from './page.js';

const style = `
:root { --fg: #1d2330; --muted: #5d6678; --line: #d9dee8; --bg: #f6f7fa; --card: #fff;
  --model: #4d7cfe; --tool: #2f9e6f; --error: #d4343c; --error-bg: #fdecee; --select: #e8eefe; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 12px 20px; background: var(--card); border-bottom: 1px solid var(--line); }
h1 { font-size: 17px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 15px; margin: 0 0 8px; }
.totals, .meta { color: var(--muted); }
.error-count { color: var(--error); font-weight: 600; }
.layout { display: grid; grid-template-columns: minmax(200px, 22%) 1fr; align-items: start; }
nav { position: sticky; top: 0; max-height: 100vh; overflow: auto; padding: 14px 12px; border-right: 1px solid var(--line); }
main { padding: 14px 20px; min-width: 0; }
ul.tree { list-style: none; margin: 0; padding-left: 14px; }
nav > ul.tree { padding-left: 0; }
ul.tree li { margin: 2px 0; }
button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: left; }
button.link { color: #2450c8; }
button.link:hover { text-decoration: underline; }
li.has-error > button.link { color: var(--error); }
.selected, li > button.link.selected { background: var(--select); border-radius: 4px; }
.timeline, .turn { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; }
.legend { display: flex; gap: 14px; color: var(--muted); font-size: 12px; margin-bottom: 6px; }
.key::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; background: var(--model); vertical-align: -1px; }
.key.tool::before { background: var(--tool); }
.key.failed::before { background: var(--error); }
.lane { display: grid; grid-template-columns: 160px 1fr; gap: 8px; align-items: center; width: 100%; padding: 3px 4px; border-radius: 4px; }
.lane:hover { background: var(--bg); }
.lane-label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 12px; }
.lane.has-error .lane-label { color: var(--error); }
.track { display: block; position: relative; height: 14px; background: var(--bg); border-radius: 3px; overflow: hidden; }
.axis { display: flex; justify-content: space-between; margin-left: 172px; color: var(--muted); font-size: 11px; }
.detail > .meta { margin-bottom: 10px; }
.track.small { height: 6px; margin: 6px 0; }
.bar { display: block; position: absolute; top: 0; bottom: 0; background: var(--model); opacity: .85; }
.bar.span { background: var(--line); opacity: .6; top: 40%; bottom: 40%; }
.bar.tool { background: var(--tool); top: 25%; bottom: 25%; }
.bar.failed { background: var(--error); }
.turn { content-visibility: auto; contain-intrinsic-size: auto 90px; }
.turn.has-error { border-left: 4px solid var(--error); }
.turn-head { color: var(--muted); }
.turn-head strong { color: var(--fg); }
.input { white-space: pre-wrap; margin: 6px 0; padding: 6px 8px; background: var(--select); border-radius: 4px; }
.input .label { display: block; margin: 0 0 2px; }
.text { white-space: pre-wrap; margin: 6px 0; }
.error-line { color: var(--error); background: var(--error-bg); border-radius: 4px; padding: 4px 8px; margin: 6px 0; white-space: pre-wrap; }
details.tool { border-top: 1px solid var(--line); padding: 4px 0; }
details.tool summary { cursor: pointer; color: var(--muted); }
.tool-name { font-family: ui-monospace, monospace; color: var(--fg); font-weight: 600; }
.status.failed { color: var(--error); font-weight: 600; }
.label { font-size: 12px; color: var(--muted); margin-top: 6px; }
pre { margin: 2px 0; padding: 8px; background: var(--bg); border-radius: 4px; overflow: auto; max-height: 320px; white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, monospace; }
pre.failed { background: var(--error-bg); }
button.more { display: block; margin: 8px auto; padding: 6px 12px; border: 1px solid var(--line); border-radius: 4px; background: var(--card); }
`;

/** JSON that cannot end the script element it sits in (`</script>`, `<!--`) or break a line. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The self-contained HTML page that shows a trace (see docs/traces.md, "View"). */
export function renderTraceHtml(trace: Trace): string {
  const model = buildViewModel(trace);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>llmproc trace · ${escapeHtml(model.file)}</title>
<style>${style}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="trace-view-data">${inlineJson(model)}</script>
<script>
(${drawTraceView.toString()})(JSON.parse(document.getElementById('trace-view-data').textContent));
</script>
</body>
</html>
`;
}
