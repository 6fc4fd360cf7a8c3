// `npx tsx test/bench/parts.ts [--reps N] [--against <git ref>] [--instructions]`: where the ingress time goes, on the real
// engine, by halving the work. The same 64-byte chunks of the mixed +WIND stream (engine-bench.js) go
// through Espruino's AT module, the floor of any line path (see "floor"), our framer with a sink that does nothing, the decoder alone, and the engine
// with one subscriber (what `npm run bench` times as "engine alone"); and a socket read (SOCKQ, then SOCKR
// of 730 bytes) through the engine alone. In a tight loop (no event loop between chunks), every variant
// once per pass, the best pass kept. With --against, the same parts built from that commit's src/ run
// beside ours in the same process: a before/after that the machine's load cannot skew. With --instructions
// (needs valgrind), machine instructions instead of time, one process per variant: deterministic, the way to
// compare two builds on a busy machine. Figures to read, never assertions.

import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildEspruinoModule, mangledMemberNames, shortMemberNames } from '../../build/build.mjs';
import { DeviceFolder, ENGINE, NO_ENGINE_LINE, PRELUDE, ROOT } from '../device/harness';
import { CALLGRIND, instructionsCounted } from './callgrind';

const AT_MODULE = path.join(ROOT, '..', 'shared', 'anchors', 'espruino-AT.js');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const SCRIPT = `
var WIND_BLOCK = "+WIND:55:Pending Data::0:730:1460\\r\\n+WIND:24:WiFi Up:0:192.168.1.42\\r\\n+WIND:33:WiFi Network Lost\\r\\n" +
  "+WIND:58:Socket Closed:3:1\\r\\n+WIND:1:Poweron (171117-0328fe3-SPWF04S)\\r\\n" +
  "+WIND:13:Copyright (c) 2012-2017 STMicroelectronics, Inc. All rights Reserved.\\r\\n+WIND:0:Console active\\r\\n" +
  "+WIND:84:NTP Server delivery:26.11.30:4:05.12.44\\r\\n+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\\r\\n" +
  "+WIND:19:WiFi Join:00:11:22:33:44:55\\r\\n+WIND:25:WiFi Association successful:SPWF-Lab\\r\\n+WIND:51:WPA Handshake Complete\\r\\n";
var S = WIND_BLOCK + WIND_BLOCK + WIND_BLOCK + WIND_BLOCK;
var LINES = 48;
var CH = []; for (var p = 0; p < S.length; p += 64) CH.push(S.substr(p, 64));
var LS = S.split("\\r\\n"); LS.pop();
var DATA = ""; while (DATA.length < 730) DATA += "0123456789abcdefghijklmnopqrstuvwxyz!?"; DATA = DATA.substr(0, 730);
var RD = "AT-S.Reading:730:730\\r\\n" + DATA + "AT-S.OK\\r\\n";
var RDC = []; for (var q = 0; q < RD.length; q += 64) RDC.push(RD.substr(q, 64));
var nop = function () {};
var V = [];
// per: what one pass is divided by (lines, or reads); unit printed after the figure
function variant(name, per, unit, pass) { V.push({ name: name, per: per, unit: unit, pass: pass, b: 1e9 }); }
function chunks(feed) { return function () { for (var i = 0; i < CH.length; i++) feed(CH[i]); }; }
function engine(P) {
  var host = { uart: { write: nop, onData: function (f) { host.h = f; } },
    clock: { now: function () { return Date.now(); }, setTimeout: function (f, ms) { return setTimeout(f, ms); },
      clearTimeout: function (id) { if (id) try { clearTimeout(id); } catch (e) {} } }, log: nop };
  var e = new P.Engine(host);
  e.start();
  host.h("+WIND:0:Console active\\r\\n");
  host.e = e;
  return host;
}
function parts(P, tag) {
  var f = new P.Framer({ line: nop, payload: nop }, 1024, 2048);
  variant(tag + "framer, sink does nothing", LINES, "us/line", chunks(function (c) { f.push(c); }));
  variant(tag + "decodeWind alone", LINES, "us/line", function () { for (var i = 0; i < LS.length; i++) P.decodeWind(LS[i]); });
  var h = engine(P);
  h.e[M.onWind](nop);
  variant(tag + "engine, one subscriber", LINES, "us/line", chunks(function (c) { h.h(c); }));
  var r = engine(P);
  variant(tag + "engine, SOCKQ + SOCKR 730", 1, "us/read", function () {
    r.e.send({ line: "AT+S.SOCKQ=0", timeoutMs: 5000 }, nop);
    r.h("AT-S.Query:730\\r\\nAT-S.OK\\r\\n");
    r.e.send({ line: "AT+S.SOCKR=0,730", timeoutMs: 5000, onPayload: nop }, nop);
    for (var i = 0; i < RDC.length; i++) r.h(RDC[i]);
  });
}
if (HAS_AT) {
  var aser = { on: function (ev, f) { aser.h = f; }, write: nop };
  var a = require("AT").connect(aser);
  a.registerLine("+WIND", function (l) { var w = l.split(":"); if (w[1] === "55") nop(); });
  a.register("AT-S.Reading:", function (l) { return l; });
  variant("AT module (a split per line)", LINES, "us/line", chunks(function (c) { aser.h(c); }));
}
// The floor of any line path on this interpreter: whole lines, one native split of the block into lines and
// one split(":") per line, no framing across chunks, no decoding, no dispatch. What a typed event per line
// costs comes on top of this.
variant("floor: split into lines, a split per line", LINES, "us/line", function () {
  // per 12-line block: an Espruino array is a list, so indexing a long one costs more the further it goes
  for (var b = 0; b < 4; b++) {
    var ls = WIND_BLOCK.split("\\r\\n");
    for (var i = 0; i < 12; i++) { var w = ls[i].split(":"); if (w[1] === "55") nop(); }
  }
});
parts(require("parts"), "");
if (AGAINST) parts(require("against"), AGAINST + ": ");
if (ONLY === "?") {
  // --instructions: the variants, for the runner to count one at a time
  for (var w = 0; w < V.length; w++) print("@V " + V[w].name + "|" + V[w].per + "|" + V[w].unit);
} else if (ONLY) {
  for (var v = 0; v < V.length; v++) if (V[v].name === ONLY) for (var r = 0; r < REPS; r++) V[v].pass();
} else {
  for (var r = 0; r < REPS; r++) {
    for (var v = 0; v < V.length; v++) {
      var t0 = getTime();
      V[v].pass();
      var d = getTime() - t0;
      if (d < V[v].b) V[v].b = d;
    }
  }
  for (var w = 0; w < V.length; w++) print("@P " + V[w].name + "|" + (V[w].b * 1e6 / V[w].per).toFixed(0) + " " + V[w].unit);
}
T.end();
`;

async function main(): Promise<number> {
  if (!ENGINE) {
    console.log(NO_ENGINE_LINE.replace('device tests skipped', 'not run'));
    return 0;
  }
  const reps = Number(arg('reps') || 9);
  const against = arg('against');
  const files: { [n: string]: string } = {};
  files.parts = (await buildEspruinoModule('parts', path.join(__dirname, 'parts-entry.ts'), { write: false })).code;
  if (against) {
    // That commit's src/, beside a copy of the entry, built with today's build (and its short names).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-parts-'));
    try {
      fs.writeFileSync(path.join(dir, 'src.tar'), execFileSync('git', ['archive', against, 'src'], { cwd: ROOT, maxBuffer: 64 << 20 }));
      execFileSync('tar', ['-xf', 'src.tar'], { cwd: dir });
      const entry = path.join(dir, 'test', 'bench', 'parts-entry.ts');
      fs.mkdirSync(path.dirname(entry), { recursive: true });
      fs.copyFileSync(path.join(__dirname, 'parts-entry.ts'), entry);
      files.against = (await buildEspruinoModule('against', entry, { write: false })).code;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const hasAt = fs.existsSync(AT_MODULE);
  if (hasAt) files.AT = fs.readFileSync(AT_MODULE, 'latin1');
  const short = shortMemberNames(mangledMemberNames());
  const folder = new DeviceFolder();
  try {
    const head = (only: string, n: number) => 'var REPS = ' + n + '; var ONLY = ' + JSON.stringify(only) + '; var HAS_AT = ' + hasAt +
      '; var AGAINST = ' + JSON.stringify(against || '') + '; var M = ' + JSON.stringify({ onWind: short.onWind || 'onWind' }) + ';\n';
    if (process.argv.indexOf('--instructions') > 0) return instructions(folder, files, head, reps);
    const r = await folder.run(head('', reps) + SCRIPT, { files, timeoutMs: 240000 });
    console.log(`best of ${reps} round-robin passes; the +WIND figures over 48 lines of the mixed stream in 64-byte chunks:`);
    for (const l of r.output) {
      if (!l.startsWith('@P ')) continue;
      const [name, figure] = l.slice(3).split('|');
      console.log('  ' + name!.padEnd(52) + figure!.padStart(14));
    }
    const bad = r.errors.concat(r.fail.map((f) => f.label + ' ' + f.msg));
    if (bad.length || !r.ended) {
      console.log(bad.join('\n') + '\n' + r.output.slice(-20).join('\n'));
      return 1;
    }
    return 0;
  } finally {
    folder.remove();
  }
}

/**
 * --instructions: machine instructions per line (or read) of each variant, counted by valgrind's callgrind
 * around the engine, one process per variant: deterministic, so a before/after (with --against) needs one
 * run, where timings on a loaded machine need many. Each variant runs once (first-pass costs) and then
 * `reps` more times; the difference between the two counts, divided by reps, is its figure.
 */
function instructions(folder: DeviceFolder, files: { [n: string]: string }, head: (only: string, n: number) => string, reps: number): number {
  const count = (only: string, n: number): { ir: number; out: string[] } => {
    folder.storeFiles(Object.assign({}, files, { app: PRELUDE + head(only, n) + SCRIPT }));
    fs.writeFileSync(path.join(folder.dir, 'main.js'), 'require("app");\n');
    const r = spawnSync(CALLGRIND[0]!, CALLGRIND.slice(1).concat([ENGINE!, 'main.js']),
      { cwd: folder.dir, input: '', encoding: 'latin1', maxBuffer: 64 << 20 });
    if (r.error) throw new Error('valgrind is needed for --instructions (apt-get install valgrind): ' + r.error.message);
    return { ir: instructionsCounted(r.stderr), out: String(r.stdout).split('\n') };
  };
  const list = count('?', 0).out.filter((l) => l.startsWith('@V ')).map((l) => l.slice(3).split('|'));
  console.log(`instructions (valgrind callgrind) per unit, over ${reps} passes after a first one; the +WIND figures over 48 lines of the mixed stream:`);
  for (const [name, per, unit] of list) {
    const once = count(name!, 1);
    const many = count(name!, 1 + reps);
    if (isNaN(once.ir) || isNaN(many.ir)) {
      console.error(name + ': no count\n' + many.out.slice(-10).join('\n'));
      return 1;
    }
    const k = (many.ir - once.ir) / reps / Number(per) / 1000;
    console.log('  ' + name!.padEnd(52) + (Math.round(k).toLocaleString('en-US') + ' k').padStart(10) + ' ' + unit!.replace('us', 'instr'));
  }
  return 0;
}

main().then((c) => { process.exitCode = c; }, (e) => { console.error(e); process.exitCode = 1; });
