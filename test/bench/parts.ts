// `npx tsx test/bench/parts.ts [--reps N]`: where the ingress time goes, on the real engine, by halving the
// work: the same 64-byte chunks of the mixed +WIND stream (engine-bench.js) through Espruino's AT module,
// our framer with a sink that does nothing, the framer with the decoder, the engine with no subscriber,
// and the engine with one subscriber (what `npm run bench` times as "engine alone"), in a tight loop (no
// event loop between chunks). Figures to read, never assertions.

import * as fs from 'fs';
import * as path from 'path';
import { buildEspruinoModule } from '../../build/build.mjs';
import { DeviceFolder, ENGINE, NO_ENGINE_LINE, ROOT } from '../device/harness';

const AT_MODULE = path.join(ROOT, '..', 'shared', 'anchors', 'espruino-AT.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const SCRIPT = `
var WIND_BLOCK = "+WIND:55:Pending Data::0:730:1460\\r\\n+WIND:24:WiFi Up:0:192.168.1.42\\r\\n+WIND:33:WiFi Network Lost\\r\\n" +
  "+WIND:58:Socket Closed:3:1\\r\\n+WIND:1:Poweron (171117-0328fe3-SPWF04S)\\r\\n" +
  "+WIND:13:Copyright (c) 2012-2017 STMicroelectronics, Inc. All rights Reserved.\\r\\n+WIND:0:Console active\\r\\n" +
  "+WIND:84:NTP Server delivery:26.11.30:4:05.12.44\\r\\n+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\\r\\n" +
  "+WIND:19:WiFi Join:00:11:22:33:44:55\\r\\n+WIND:25:WiFi Association successful:SPWF-Lab\\r\\n+WIND:51:WPA Handshake Complete\\r\\n";
var BLOCKS = 4;
var S = ""; for (var b = 0; b < BLOCKS; b++) S += WIND_BLOCK;
var CH = []; for (var p = 0; p < S.length; p += 64) CH.push(S.substr(p, 64));
var LINES = 12 * BLOCKS;
var P = require("parts");
// Round robin: each pass feeds every variant once, so that a change of load on the machine hits them
// alike; the best pass of each is kept.
var V = [];
function best(name, feed) { V.push({ name: name, feed: feed, b: 1e9 }); }
function runAll() {
  for (var r = 0; r < REPS; r++) {
    for (var v = 0; v < V.length; v++) {
      var t0 = getTime();
      for (var i = 0; i < CH.length; i++) V[v].feed(CH[i]);
      var d = getTime() - t0;
      if (d < V[v].b) V[v].b = d;
    }
  }
  for (var w = 0; w < V.length; w++) print("@P " + V[w].name + " " + (V[w].b * 1e6 / LINES).toFixed(0));
}
var nop = function () {};
var host = { uart: { write: nop, onData: function (f) { host.h = f; } },
  clock: { now: function () { return Date.now(); }, setTimeout: function (f, ms) { return setTimeout(f, ms); },
    clearTimeout: function (id) { if (id) try { clearTimeout(id); } catch (e) {} } }, log: nop };
if (HAS_AT) {
  var aser = { on: function (ev, f) { aser.h = f; }, write: nop };
  var a = require("AT").connect(aser);
  a.registerLine("+WIND", function (l) { var q = l.split(":"); if (q[1] === "55") nop(); });
  a.register("AT-S.Reading:", function (l) { return l; });
  best("AT module (split per line)", function (c) { aser.h(c); });
}
var f0 = new P.Framer({ line: nop, payload: nop }, 1024, 2048);
best("framer, sink does nothing", function (c) { f0.push(c); });
var f1 = new P.Framer({ line: function (t) { P.decodeWind(t); }, payload: nop }, 1024, 2048);
best("framer + decodeWind", function (c) { f1.push(c); });
var e0 = new P.Engine(host); e0.start(); host.h("+WIND:0:Console active\\r\\n");
best("engine, no subscriber", function (c) { host.h(c); });
var host1 = Object.assign({}, host); host1.uart = { write: nop, onData: function (f) { host1.h = f; } };
var e1 = new P.Engine(host1); e1.start(); host1.h("+WIND:0:Console active\\r\\n");
e1[M.onWind](nop);
best("engine, one subscriber (all)", function (c) { host1.h(c); });
var host2 = Object.assign({}, host); host2.uart = { write: nop, onData: function (f) { host2.h = f; } };
var e2 = new P.Engine(host2); e2.start(); host2.h("+WIND:0:Console active\\r\\n");
e2[M.onWind](nop, null, 2); e2[M.onWind](nop, null, 1); e2[M.onWind](nop, null, 4);
best("engine, the layer's subscribers", function (c) { host2.h(c); });
runAll();
T.end();
`;

async function main(): Promise<number> {
  if (!ENGINE) {
    console.log(NO_ENGINE_LINE.replace('device tests skipped', 'not run'));
    return 0;
  }
  const m = await buildEspruinoModule('parts', path.join(__dirname, 'parts-entry.ts'), { write: false });
  const { mangledMemberNames, shortMemberNames } = await import('../../build/build.mjs');
  const short = shortMemberNames(mangledMemberNames());
  const hasAt = fs.existsSync(AT_MODULE);
  const files: { [n: string]: string } = { parts: m.code };
  if (hasAt) files.AT = fs.readFileSync(AT_MODULE, 'latin1');
  const folder = new DeviceFolder();
  try {
    const r = await folder.run('var REPS = ' + arg('reps', 7) + '; var HAS_AT = ' + hasAt + '; var M = ' +
      JSON.stringify({ onWind: short.onWind || 'onWind' }) + ';\n' + SCRIPT, { files, timeoutMs: 240000 });
    console.log(`µs per line, best of ${arg('reps', 7)} round-robin passes over 48 lines of the mixed +WIND stream in 64-byte chunks:`);
    for (const l of r.output) if (l.startsWith('@P ')) { const p = l.slice(3).split(' '); const us = p.pop(); console.log('  ' + p.join(' ').padEnd(40) + us!.padStart(6)); }
    const bad = r.errors.concat(r.fail.map((f) => f.label + ' ' + f.msg));
    if (bad.length || !r.ended) { console.log(bad.join('\n') + '\n' + r.output.slice(-20).join('\n')); return 1; }
    return 0;
  } finally {
    folder.remove();
  }
}

main().then((c) => { process.exitCode = c; }, (e) => { console.error(e); process.exitCode = 1; });
