// `spwf04 trace <file> --html <out>`: the exchange drawn as the application note draws its flows, a
// sequence diagram between the host and the module. One self-contained HTML file: inline SVG and CSS,
// no script, no font or anything else fetched, so it opens offline on any laptop.
//
// Rows top to bottom in trace order: commands (host → module), their answers (module → host; the final
// line carries the command's duration), data phases as thick arrows, +WIND indications in their own
// colour named by their kind (the core's decoder), host notes as bands. A failed or timed-out command
// is red and says why in the right margin; the left margin gives each event's time and the time since
// the one before; a long pause opens a visible gap; long runs of socket data exchanges fold into one
// labelled arrow (its lines in the arrow's tooltip).

import { Analysis, describeOutcome, failed, Fold, formatDuration, Row, rows, Step } from './exchanges';
import { summarise } from './summary';

const W = 1120;
const HOST_X = 250;
const MODULE_X = 900;
const TOP = 78;
const ROW_H = 24;
/** A pause this long (ms) between two events opens a gap in the picture. */
const GAP_MS = 250;
const GAP_H = 22;
/** Characters that fit between the lifelines at the label size. */
const LABEL_CHARS = 86;
const MARGIN_CHARS = 27;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Control bytes as \xNN, so that a trace of binary data stays readable and valid XML. */
function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, function (c) {
    const h = c.charCodeAt(0).toString(16);
    return '\\x' + (h.length < 2 ? '0' + h : h);
  });
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.substring(0, n - 1) + '…';
}

function clock(ms: number): string {
  return (ms / 1000).toFixed(3) + ' s';
}

interface Drawn {
  svg: string;
  height: number;
}

/** One arrow between the lifelines, with its label above it and a note in the right margin. */
function arrow(y: number, from: number, to: number, cls: string, kind: string, label: string, title: string, margin?: string, data?: string): string {
  const mid = (HOST_X + MODULE_X) / 2;
  const dir = to > from ? 'right' : 'left';
  let s = '<g class="arrow ' + cls + '" data-kind="' + kind + '"' + (data || '') + ' data-text="' + esc(title) + '">';
  s += '<title>' + esc(title) + '</title>';
  s += '<line x1="' + from + '" y1="' + y + '" x2="' + (to > from ? to - 2 : to + 2) + '" y2="' + y + '" marker-end="url(#head-' + cls.split(' ')[0] + ')"/>';
  s += '<text class="label" x="' + mid + '" y="' + (y - 5) + '" text-anchor="middle" data-dir="' + dir + '">' + label + '</text>';
  if (margin) s += '<text class="margin" x="' + (MODULE_X + 14) + '" y="' + (y + 4) + '">' + margin + '</text>';
  s += '</g>';
  return s;
}

function commandRow(step: Extract<Step, { kind: 'command' }>, y: number): Drawn {
  const ex = step.ex;
  const bad = failed(ex);
  const cls = (bad ? 'failed' : ex.resync ? 'resync' : 'command');
  const text = ex.resync ? ex.text + ' (resync)' : ex.text;
  const label = esc(clip(printable(text), LABEL_CHARS));
  let margin = '';
  if (bad && ex.outcome === 'timeout') {
    margin = '<tspan class="bad">✗ ' + (ex.resync ? 'probe ' : '') + 'timed out</tspan> <tspan class="dim">after ' + esc(formatDuration(ex.end - ex.t)) + '</tspan>';
  } else if (bad) margin = '<tspan class="bad">✗ ' + esc(ex.outcome === 'reset' ? 'module reset' : 'error' + (ex.error && ex.error.code !== undefined ? ' ' + ex.error.code : '')) + '</tspan>';
  else if (ex.resync) margin = '<tspan class="warn">⟳ resync probe</tspan>';
  else if (ex.outcome === 'open') margin = '<tspan class="warn">… no answer yet</tspan>';
  const data = ' data-outcome="' + ex.outcome + '" data-verb="' + esc(ex.verb) + '"';
  let svg = arrow(y, HOST_X, MODULE_X, cls, 'command', label, text + ' — ' + describeOutcome(ex), margin, data);
  let h = ROW_H;
  if (ex.sentBytes > 0) {
    // The data phase that follows the command line, as its own arrow.
    svg += arrow(y + ROW_H, HOST_X, MODULE_X, 'data', 'data', esc(ex.sentBytes + ' bytes of data'), ex.sentBytes + ' bytes of data with ' + ex.text, '', ' data-bytes="' + ex.sentBytes + '"');
    h += ROW_H;
  }
  return { svg: svg, height: h };
}

function answerRow(step: Extract<Step, { kind: 'answer' }>, y: number): Drawn {
  const text = printable(step.rec.text);
  const ex = step.ex;
  if (step.role === 'data') {
    return { svg: arrow(y, MODULE_X, HOST_X, 'data', 'data', esc(step.bytes + ' bytes of data'), step.bytes + ' bytes of data' + (ex ? ' in the answer to ' + ex.text : ''), '', ' data-bytes="' + step.bytes + '"'), height: ROW_H };
  }
  if (step.role === 'echo') return { svg: arrow(y, MODULE_X, HOST_X, 'echo', 'echo', esc(clip('echo ' + text, LABEL_CHARS)), 'echo of ' + text), height: ROW_H };
  if (step.role === 'late') {
    return { svg: arrow(y, MODULE_X, HOST_X, 'late', 'late', esc(clip(text, LABEL_CHARS)), text + ' (late or unexpected: no command waits for it)', '<tspan class="warn">late / unexpected</tspan>'), height: ROW_H };
  }
  if (step.role === 'error' && ex) {
    const e = ex.error;
    const margin = '<tspan class="bad">✗ ' + esc(clip(e && e.name ? e.name : 'error', MARGIN_CHARS - 9)) + '</tspan> <tspan class="dim">' + esc(formatDuration(ex.end - ex.t)) + '</tspan>';
    return { svg: arrow(y, MODULE_X, HOST_X, 'error', 'answer', esc(clip(text, LABEL_CHARS)), text + ' — ' + ex.text + ' ' + describeOutcome(ex), margin, ' data-role="error"'), height: ROW_H };
  }
  if (step.role === 'ok' && ex) {
    return { svg: arrow(y, MODULE_X, HOST_X, 'ok', 'answer', esc(clip(text, LABEL_CHARS)), text + ' — ' + ex.text + ' took ' + formatDuration(ex.end - ex.t), '<tspan class="dim">' + esc(formatDuration(ex.end - ex.t)) + '</tspan>', ' data-role="ok"'), height: ROW_H };
  }
  return { svg: arrow(y, MODULE_X, HOST_X, 'answer', 'answer', esc(clip(text, LABEL_CHARS)), text, '', ' data-role="line"'), height: ROW_H };
}

function windRow(step: Extract<Step, { kind: 'wind' }>, y: number): Drawn {
  const ev = step.ev;
  const text = printable(step.rec.text);
  const rest = clip(printable(ev.text + (ev.params.length ? ':' + ev.params.join(':') : '')), LABEL_CHARS - ev.kind.length - 12);
  const label = '<tspan class="kind">' + esc(ev.kind) + '</tspan> <tspan class="windno">+WIND:' + ev.id + '</tspan> ' + esc(rest);
  const cls = ev.kind === 'WifiUp' ? 'wind up' : ev.kind === 'PowerOn' || ev.kind === 'Reset' || ev.kind === 'HardFault' ? 'wind reboot' : 'wind';
  return { svg: arrow(y, MODULE_X, HOST_X, cls, 'wind', label, text + ' — ' + ev.kind, '', ' data-wind="' + esc(ev.kind) + '" data-wind-id="' + ev.id + '"'), height: ROW_H };
}

function band(y: number, cls: string, text: string, kind: string): Drawn {
  const x0 = HOST_X - 70;
  const x1 = MODULE_X + 70;
  const svg = '<g class="band ' + cls + '" data-kind="' + kind + '"><rect x="' + x0 + '" y="' + (y - 15) + '" width="' + (x1 - x0) + '" height="20" rx="4"/>' +
    '<text x="' + ((x0 + x1) / 2) + '" y="' + (y - 1) + '" text-anchor="middle">' + esc(clip(printable(text), 104)) + '</text></g>';
  return { svg: svg, height: ROW_H + 2 };
}

function noteRow(step: Extract<Step, { kind: 'note' }>, y: number): Drawn {
  const t = step.rec.text;
  if (t.indexOf('== ') === 0) return band(y, 'step', t.substring(3), 'note');
  return band(y, 'note', t, 'note');
}

function foldRow(f: Fold, y: number): Drawn {
  const parts: string[] = [];
  for (let i = 0; i < f.verbs.length; i++) {
    const v = f.verbs[i];
    const short = v.verb.indexOf('AT+S.') === 0 ? v.verb.substring(5) : v.verb;
    let p = v.count + '× ' + short;
    if (short === 'SOCKW' || short === 'SOCKDW') p += ' (' + f.sentBytes + ' B out)';
    if (short === 'SOCKR' || short === 'SOCKDR') p += ' (' + f.readBytes + ' B in)';
    parts.push(p);
  }
  if (f.pendingData) parts.push(f.pendingData + '× +WIND PendingData');
  const label = 'data phase: ' + parts.join(' · ');
  const lines: string[] = [];
  for (let i = 0; i < f.steps.length && i < 60; i++) {
    const s = f.steps[i];
    lines.push((s.rec.dir === '>' ? '→ ' : '← ') + printable(s.rec.text));
  }
  if (f.steps.length > 60) lines.push('… ' + (f.steps.length - 60) + ' more lines');
  const title = label + ' — ' + f.steps.length + ' lines folded, ' + formatDuration(f.end - f.t) + '\n' + lines.join('\n');
  const mid = (HOST_X + MODULE_X) / 2;
  const yy = y + 6;
  let s = '<g class="arrow fold" data-kind="fold" data-lines="' + f.steps.length + '" data-text="' + esc(label) + '"><title>' + esc(title) + '</title>';
  s += '<rect class="foldbg" x="' + (HOST_X + 6) + '" y="' + (yy - 24) + '" width="' + (MODULE_X - HOST_X - 12) + '" height="34" rx="6"/>';
  s += '<line x1="' + (HOST_X + 4) + '" y1="' + yy + '" x2="' + (MODULE_X - 4) + '" y2="' + yy + '" marker-start="url(#head-fold-start)" marker-end="url(#head-fold)"/>';
  s += '<text class="label" x="' + mid + '" y="' + (yy - 8) + '" text-anchor="middle">' + esc(clip(label, LABEL_CHARS)) + '</text>';
  s += '<text class="margin" x="' + (MODULE_X + 14) + '" y="' + (yy + 4) + '"><tspan class="dim">' + esc(f.steps.length + ' lines folded, ' + formatDuration(f.end - f.t)) + '</tspan></text>';
  s += '</g>';
  return { svg: s, height: ROW_H + 14 };
}

function sessionRow(step: Extract<Step, { kind: 'session' }>, y: number): Drawn {
  return band(y, 'session', 'new session: ' + step.header.source + ', started ' + step.header.start, 'session');
}

function drawRow(r: Row, y: number): Drawn {
  if (r.kind === 'fold') return foldRow(r.fold, y);
  const s = r.step;
  switch (s.kind) {
    case 'command': return commandRow(s, y);
    case 'answer': return answerRow(s, y);
    case 'wind': return windRow(s, y);
    case 'note': return noteRow(s, y);
    default: return sessionRow(s, y);
  }
}

function rowTime(r: Row): number {
  return r.kind === 'fold' ? r.fold.t : r.step.rec.t;
}

function rowEnd(r: Row): number {
  return r.kind === 'fold' ? r.fold.end : r.step.rec.t;
}

const CSS = `
body { font: 14px/1.45 system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d2330; background: #fff; margin: 20px 24px; }
h1 { font-size: 19px; margin: 0 0 2px; }
.meta { color: #5a6372; margin: 0 0 10px; }
pre.summary { background: #f4f6fa; border: 1px solid #dde2ea; border-radius: 6px; padding: 8px 12px; font: 12.5px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; margin: 0 0 10px; white-space: pre-wrap; max-width: ${W - 30}px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0 0 6px; font-size: 12.5px; color: #3b4352; }
.legend span::before { content: ""; display: inline-block; width: 22px; height: 0; margin: 0 6px 4px 0; border-top: 2px solid; vertical-align: middle; }
.legend .l-command::before { border-color: #1f5fbf; } .legend .l-answer::before { border-color: #5b6575; border-top-style: dashed; }
.legend .l-wind::before { border-color: #8a3fb8; border-top-style: dotted; border-top-width: 3px; } .legend .l-data::before { border-color: #d9822b; border-top-width: 5px; }
.legend .l-failed::before { border-color: #d12f2f; } .legend .l-fold::before { border-color: #138a7a; border-top-width: 5px; }
svg { display: block; }
svg text { font: 12px "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: #1d2330; }
.lifeline { stroke: #9aa3b2; stroke-width: 1.5; stroke-dasharray: 6 5; }
.actor rect { fill: #eef2f8; stroke: #6b778a; stroke-width: 1.2; }
.actor text { font: bold 13.5px system-ui, "DejaVu Sans", sans-serif; }
.actor .sub { font: 11.5px system-ui, "DejaVu Sans", sans-serif; fill: #5a6372; }
.time { fill: #5a6372; font-size: 11px; }
.delta { fill: #9aa3b2; font-size: 11px; }
.gap rect { fill: #f3f4f7; }
.gap text { fill: #6b778a; font-size: 11px; font-style: italic; }
.arrow line { stroke-width: 1.6; }
.command line { stroke: #1f5fbf; } .command .label { fill: #123d7d; font-weight: bold; }
.resync line { stroke: #c77700; stroke-dasharray: 2 3; } .resync .label { fill: #8a5200; }
.failed line { stroke: #d12f2f; stroke-width: 2.4; } .failed .label { fill: #b01e1e; font-weight: bold; }
.answer line, .ok line { stroke: #5b6575; stroke-dasharray: 5 4; } .answer .label { fill: #3b4352; } .ok .label { fill: #1c7a3d; }
.error line { stroke: #d12f2f; stroke-dasharray: 5 4; stroke-width: 2; } .error .label { fill: #b01e1e; font-weight: bold; }
.echo line { stroke: #c3c9d3; stroke-dasharray: 2 4; } .echo .label { fill: #9aa3b2; font-style: italic; }
.late line { stroke: #c77700; stroke-dasharray: 5 4; } .late .label { fill: #8a5200; }
.data line { stroke: #d9822b; stroke-width: 5; stroke-opacity: 0.85; } .data .label { fill: #9a5212; font-weight: bold; }
.wind line { stroke: #8a3fb8; stroke-width: 2; stroke-dasharray: 1 4; stroke-linecap: round; } .wind .label { fill: #5d2a7e; }
.wind .kind { font-weight: bold; fill: #7a2fa8; } .wind .windno { fill: #a07ab8; }
.wind.up line { stroke: #1c9a4a; } .wind.up .kind { fill: #137a38; }
.wind.reboot .kind { fill: #b5541c; }
.fold line { stroke: #138a7a; stroke-width: 5; } .fold .label { fill: #0c5c51; font-weight: bold; } .foldbg { fill: #e6f5f2; stroke: #9fd6cc; }
.margin { font-size: 11.5px; } .bad { fill: #d12f2f; font-weight: bold; } .warn { fill: #b36b00; } .dim { fill: #8a93a2; }
.band rect { fill: #fff6d6; stroke: #e8d38a; } .band text { fill: #5c4a00; font-size: 12px; }
.band.step rect { fill: #fdeab0; stroke: #d9b64a; } .band.step text { font-weight: bold; }
.band.session rect { fill: #e4e7ee; stroke: #9aa3b2; }
`;

function markers(): string {
  const m = function (id: string, color: string, size: number, reverse?: boolean): string {
    const path = reverse ? 'M10,0 L0,5 L10,10 z' : 'M0,0 L10,5 L0,10 z';
    return '<marker id="' + id + '" viewBox="0 0 10 10" refX="' + (reverse ? 0 : 10) + '" refY="5" markerUnits="userSpaceOnUse" markerWidth="' + size + '" markerHeight="' + size + '" orient="auto"><path d="' + path + '" fill="' + color + '"/></marker>';
  };
  return '<defs>' + m('head-command', '#1f5fbf', 10) + m('head-resync', '#c77700', 10) + m('head-failed', '#d12f2f', 11) +
    m('head-answer', '#5b6575', 9) + m('head-ok', '#5b6575', 9) + m('head-error', '#d12f2f', 10) + m('head-echo', '#c3c9d3', 8) +
    m('head-late', '#c77700', 9) + m('head-data', '#d9822b', 14) + m('head-wind', '#8a3fb8', 10) +
    m('head-fold', '#138a7a', 14) + m('head-fold-start', '#138a7a', 14, true) + '</defs>';
}

/** The whole HTML page for an analysed trace. */
export function renderHtml(a: Analysis): string {
  const tr = a.trace;
  const rs = rows(a);
  let body = '';
  let y = TOP + 26;
  let prev = 0;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    const t = rowTime(r);
    const dt = i === 0 ? t : t - prev;
    if (dt >= GAP_MS) {
      body += '<g class="gap" data-ms="' + Math.round(dt) + '"><rect x="0" y="' + (y - 14) + '" width="' + W + '" height="' + (GAP_H - 4) + '"/>' +
        '<text x="' + ((HOST_X + MODULE_X) / 2) + '" y="' + (y - 1) + '" text-anchor="middle">' + esc(formatDuration(dt)) + ' later</text></g>';
      y += GAP_H;
    }
    body += '<text class="time" x="8" y="' + (y + 4) + '">' + clock(t) + '</text>';
    if (i > 0 && dt >= 1 && dt < GAP_MS) body += '<text class="delta" x="' + (HOST_X - 84) + '" y="' + (y + 4) + '" text-anchor="end">+' + esc(formatDuration(dt)) + '</text>';
    const d = drawRow(r, y);
    body += d.svg;
    y += d.height;
    prev = rowEnd(r);
  }
  const height = y + 16;
  const actor = function (x: number, name: string, sub: string): string {
    return '<g class="actor"><rect x="' + (x - 95) + '" y="14" width="190" height="46" rx="6"/><text x="' + x + '" y="34" text-anchor="middle">' + esc(name) +
      '</text><text class="sub" x="' + x + '" y="51" text-anchor="middle">' + esc(sub) + '</text></g>';
  };
  const head = actor(HOST_X, 'Host', 'spwf04 core (' + tr.header.source + ')') + actor(MODULE_X, 'SPWF04S module', 'AT console over the UART') +
    '<line class="lifeline" x1="' + HOST_X + '" y1="60" x2="' + HOST_X + '" y2="' + height + '"/>' +
    '<line class="lifeline" x1="' + MODULE_X + '" y1="60" x2="' + MODULE_X + '" y2="' + height + '"/>' +
    '<text class="time" x="8" y="' + (TOP + 2) + '">time</text><text class="margin" x="' + (MODULE_X + 14) + '" y="' + (TOP + 2) + '"><tspan class="dim">outcome, duration</tspan></text>';
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + height + '" viewBox="0 0 ' + W + ' ' + height + '" role="img" aria-label="sequence diagram of the trace">' +
    markers() + head + body + '</svg>';
  const summary = summarise(a);
  const span = tr.records.length ? tr.records[tr.records.length - 1].t : 0;
  const title = 'spwf04 trace: ' + tr.name;
  return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>' + esc(title) + '</title>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><style>' + CSS + '</style></head><body>\n' +
    '<h1>' + esc(title) + '</h1>\n<p class="meta">' + esc('source ' + tr.header.source + ' · started ' + tr.header.start + ' · ' +
      formatDuration(span) + ', ' + tr.records.length + ' records · format ' + tr.header.format + ' v' + tr.header.version) + '</p>\n' +
    '<pre class="summary">' + esc(summary.slice(1).join('\n')) + '</pre>\n' +
    '<div class="legend"><span class="l-command">command</span><span class="l-answer">answer</span><span class="l-data">data</span>' +
    '<span class="l-wind">+WIND indication</span><span class="l-failed">failed / timed out</span><span class="l-fold">folded data phase (hover for its lines)</span></div>\n' +
    svg + '\n</body></html>\n';
}
