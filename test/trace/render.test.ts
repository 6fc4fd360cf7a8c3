import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTrace } from '../../hosts/node/trace/format';
import { analyse, rows } from '../../hosts/node/trace/exchanges';
import { summarise } from '../../hosts/node/trace/summary';
import { renderHtml } from '../../hosts/node/trace/render-html';
import { LONG_MESSAGE, recordDemoTrace, recordFaultTrace, tempDir } from './helpers';

// What `spwf04 trace` makes of recorded traces: the demo's (join, socket echo, a long echo whose data
// phase folds) and one with a refused and a timed-out command. The HTML is checked by its SVG elements
// (data-kind / data-text attributes), the summary by its lines.

function load(file: string) {
  return analyse(parseTrace(fs.readFileSync(file, 'utf8'), file));
}

/** The SVG groups of one kind: [data-text, the whole element] (attributes are HTML-escaped). */
function arrows(html: string, kind: string): { text: string; el: string }[] {
  const out: { text: string; el: string }[] = [];
  const re = new RegExp('<g class="[^"]*" data-kind="' + kind + '"[^>]*data-text="([^"]*)"[^>]*>', 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) out.push({ text: m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'), el: m[0] });
  return out;
}

describe('trace: summary and HTML of recorded traces', function () {
  this.timeout(30000);
  let dir: string;
  let demo: string;
  let longDemo: string;
  let faults: string;

  before(async () => {
    dir = tempDir('trace-render-');
    demo = path.join(dir, 'demo.jsonl');
    longDemo = path.join(dir, 'long.jsonl');
    faults = path.join(dir, 'faults.jsonl');
    assert.equal((await recordDemoTrace(demo, { psk: 'correct horse battery' })).code, 0);
    assert.equal((await recordDemoTrace(longDemo, { message: LONG_MESSAGE })).code, 0);
    await recordFaultTrace(faults);
  });

  it('the demo trace: the join and the echo as arrows, WiFi Up as an indication, nothing failed', () => {
    const a = load(demo);
    assert.equal(a.trace.header.source, 'demo');
    const html = renderHtml(a);
    const commands = arrows(html, 'command').map((x) => x.text.split(' — ')[0]);
    for (const c of ['AT+S.SCFG=console_echo,0', 'AT+S.WIFI=0', 'AT+S.SSIDTXT=SPWF-Lab', 'AT+S.SCFG=wifi_wpa_psk_text,********', 'AT+S.WIFI=1', 'AT+S.RESET']) {
      assert.ok(commands.includes(c), c + ' in ' + commands.join(' | '));
    }
    assert.ok(commands.some((c) => /^AT\+S\.SOCKON=127\.0\.0\.1,\d+,,t$/.test(c)), 'SOCKON');
    assert.ok(commands.includes('AT+S.SOCKW=0,27 <27 bytes>'));
    assert.ok(commands.includes('AT+S.SOCKR=0,27'));
    assert.ok(commands.includes('AT+S.SOCKC=0'));
    const winds = arrows(html, 'wind');
    const up = winds.filter((w) => / data-wind="WifiUp"/.test(w.el));
    assert.ok(up.length >= 1, 'WiFi Up (then its IPv6 one)');
    assert.match(up[0].text, /^\+WIND:24:WiFi Up:0:192\.168\.1\.42/);
    assert.ok(winds.some((w) => / data-wind="PendingData"/.test(w.el)));
    // The data phases of the echo: 27 bytes out after SOCKW, 27 in after SOCKR.
    const data = arrows(html, 'data').map((x) => x.el);
    assert.equal(data.filter((el) => / data-bytes="27"/.test(el)).length, 2);
    assert.equal(arrows(html, 'fold').length, 0, 'four data exchanges stay unfolded');
    assert.ok(!/data-outcome="(timeout|error|reset)"/.test(html));
    assert.ok(html.includes('Join &quot;SPWF-Lab&quot; with WPA2-PSK'), 'the demo steps as notes');
    // Time is visible: each row's time, the time since the previous event, a gap for the boot's pause.
    assert.match(html, /<text class="time" x="8" y="\d+">0\.\d{3} s<\/text>/);
    assert.match(html, /<text class="delta"[^>]*>\+\d+ ms<\/text>/);

    const summary = summarise(a);
    assert.match(summary[0], /^trace .*demo\.jsonl: spwf04-trace v1, source demo, started \d{4}-\d\d-\d\dT/);
    assert.match(summary[1], /^commands: 17 sent, 17 OK, 0 failures, 0 timeouts$/);
    assert.match(summary.join('\n'), /indications: \d+ \+WINDs\n  PowerOn \(1\) x2, Copyright \(13\) x2, ConsoleActive \(0\) x2,/);
    assert.ok(summary.some((l) => /WifiUp \(24\) x\d/.test(l)));
    assert.ok(summary.some((l) => /^time to WiFi Up: \d+ ms from the start of the trace, \d+ ms from AT\+S\.WIFI=1 \(192\.168\.1\.42\)$/.test(l)), summary.join('\n'));
    assert.equal(summary[summary.length - 1], 'data: 27 bytes sent with commands, 27 bytes read');
  });

  it('the long echo: its run of SOCKW/SOCKQ/SOCKR exchanges folds into one labelled arrow', () => {
    const a = load(longDemo);
    const html = renderHtml(a);
    const folds = arrows(html, 'fold');
    assert.ok(folds.length >= 1, 'a fold');
    assert.ok(folds.every((f) => /^data phase: \d+× SOCK/.test(f.text)), folds.map((f) => f.text).join(' | '));
    assert.ok(folds.some((f) => /\d+× SOCKW \(\d+ B out\)/.test(f.text)) && folds.some((f) => /\d+× SOCKR \(\d+ B in\)/.test(f.text)), folds.map((f) => f.text).join(' | '));
    assert.match(folds[0].el, /data-lines="\d+"/);
    const folded = rows(a).filter((r) => r.kind === 'fold').reduce((n, r) => n + (r.kind === 'fold' ? r.fold.steps.length : 0), 0);
    const unfolded = rows(a, Infinity).length;
    assert.ok(rows(a).length < unfolded - folded / 2, 'the fold takes the place of its lines');
    // The folded lines are still there, in the arrow's tooltip.
    assert.match(html, /<title>data phase: [^<]*lines folded[^<]*\n→ AT\+S\.SOCKW=0,730 &lt;730 bytes&gt;\n/);
    const bytes = LONG_MESSAGE.length;
    assert.equal(summarise(a).pop(), 'data: ' + bytes + ' bytes sent with commands, ' + bytes + ' bytes read');
  });

  it('a refused command and a timed-out one are marked, with why; the late answer is marked late', () => {
    const a = load(faults);
    const refused = a.exchanges.find((e) => e.text === 'AT+S.GCFG=no_such_variable')!;
    assert.equal(refused.outcome, 'error');
    assert.deepEqual(refused.error, { code: 4, name: 'VariableNotFound', text: 'Variable not found' });
    const late = a.exchanges.find((e) => e.text === 'AT+S.GCFG=wifi_mode')!;
    assert.equal(late.outcome, 'timeout');
    assert.match(late.endedBy!, /^AT\+S\.GCFG=console_\w+ \(resync\)$/);
    assert.equal(late.end - late.t, 2000, 'the engine waited its 2 s');

    const html = renderHtml(a);
    const commands = arrows(html, 'command');
    const e = commands.find((c) => c.text.startsWith('AT+S.GCFG=no_such_variable'))!;
    assert.match(e.el, /class="arrow failed" .*data-outcome="error"/);
    assert.match(e.text, / — error 4 \(VariableNotFound\): Variable not found$/);
    const t = commands.find((c) => c.text.startsWith('AT+S.GCFG=wifi_mode'))!;
    assert.match(t.el, /class="arrow failed" .*data-outcome="timeout"/);
    assert.match(t.text, / — timed out: no answer before the resync probe AT\+S\.GCFG=console_/);
    assert.ok(commands.some((c) => / data-outcome="ok"/.test(c.el) && /\(resync\)/.test(c.text) && /class="arrow resync"/.test(c.el)));
    assert.match(html, /<tspan class="bad">✗ timed out<\/tspan> <tspan class="dim">after 2\.00 s<\/tspan>/);
    assert.match(html, /<tspan class="bad">✗ error 4<\/tspan>/);
    assert.match(html, /<tspan class="bad">✗ VariableNotFound<\/tspan>/);
    const lateLines = arrows(html, 'late').map((x) => x.text);
    assert.ok(lateLines.some((l) => l.startsWith('AT-S.Var:wifi_mode=')), lateLines.join(' | '));
    assert.match(html, /<g class="gap" data-ms="\d+">/, 'the 2 s wait shows as a gap');

    const summary = summarise(a);
    assert.match(summary[1], /^commands: 3 sent, 1 OK, 1 failure, 1 timeout \(and 2 resync probes\)$/, 'the first probe waits behind the late answer too');
    assert.ok(summary.some((l) => /^  failure \+[\d.]+ s  AT\+S\.GCFG=no_such_variable  -> error 4 \(VariableNotFound\): Variable not found$/.test(l)), summary.join('\n'));
    assert.ok(summary.some((l) => /^  timeout \+[\d.]+ s  AT\+S\.GCFG=wifi_mode  -> timed out: no answer before the resync probe/.test(l)), summary.join('\n'));
    assert.ok(summary.includes('time to WiFi Up: never (no +WIND:24 in the trace)'));
  });

  it('the passphrase is in no trace file, and in no HTML', () => {
    for (const f of [demo, longDemo, faults]) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(!/correct horse|horse battery/.test(text), f);
      assert.ok(!/correct horse|horse battery/.test(renderHtml(load(f))), f + ' as HTML');
    }
    assert.ok(fs.readFileSync(demo, 'utf8').includes('"AT+S.SCFG=wifi_wpa_psk_text,********"'));
  });

  it('the HTML is self-contained: inline SVG and CSS, no script, nothing fetched', () => {
    const html = renderHtml(load(demo));
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(!/<script|<link|@import|url\((?!#)|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(html), 'no external reference');
  });
});
