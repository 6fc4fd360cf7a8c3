// `npm run bench`: ingress throughput on the real Espruino engine (NUCLEO heap, tools/espruino), our device
// build against Espruino's own AT module (../shared/anchors/espruino-AT.js, loaded from flash beside it
// when ../shared/anchors is there), in the same engine process, fed the same bytes in 64-byte chunks, one
// event each (test/bench/engine-bench.js). Prints min/median/max per stream and contender, the ratio
// ours/AT of the medians, and the variables each holds. Measurements to report, never assertions: desktop
// speeds are one to two orders of magnitude above an 84 MHz F401's, so only the ratio carries over.
// Options: see USAGE (npm run bench -- --help).

import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { DeviceFolder, ENGINE, NO_ENGINE_LINE, ROOT, moduleSizes } from '../device/harness';
import { mangledMemberNames, shortMemberNames } from '../../build/build.mjs';
import { CALLGRIND, VALGRIND, instructionsCounted } from './callgrind';

const AT_MODULE = path.join(ROOT, '..', 'shared', 'anchors', 'espruino-AT.js');

const USAGE = `usage: npm run bench -- [options]
Ingress throughput of the device build on the real Espruino engine, beside Espruino's AT module.
  --runs N       runs of every contender (default 5)
  --lines N      lines of the +WIND stream (default 2400)
  --reads N      730-byte socket reads (default 100), in bursts of --burst N (default 2)
  --batch N      64-byte chunks per turn of the engine's event loop (default 16)
  --no-at, --no-engine, --no-whole
                 leave out the AT module, our engine alone, our whole layer
  --separate     one engine process per contender (default: one for all)
  --count        instructions instead of time, under valgrind (BENCH_VALGRIND: its path): the same at
                 every run; slower, and not the figure of record
  --profile      time per engine method and subscriber (slows the run: for finding where time goes)
  --timeout S    seconds before an engine run is given up (default 240; 900 with --count)
  BENCH_TRACE=1  print every chunk and command
Exit status: 0 done, 1 a run failed, 2 bad usage or a missing tool.`;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const CFG = {
  runs: arg('runs', 5),
  windLines: arg('lines', 2400),
  reads: arg('reads', 100),
  burst: arg('burst', 2),
  batch: arg('batch', 16),
  trace: !!process.env.BENCH_TRACE,
  prof: process.argv.indexOf('--profile') >= 0,
  at: fs.existsSync(AT_MODULE) && process.argv.indexOf('--no-at') < 0,
  engineAlone: process.argv.indexOf('--no-engine') < 0,
  whole: process.argv.indexOf('--no-whole') < 0,
};

// The device build shortens class member names (build/build.mjs, mangledMemberNames): the script reaches
// the engine's members through this table of source name -> name on the board, and --profile names the
// methods it times back by their source names.
const BENCH_MEMBERS = ['onWind', 'framer'];
function memberNames(): { names: { [source: string]: string }; sourceOf: { [short: string]: string } } {
  const short: { [source: string]: string } = shortMemberNames(mangledMemberNames());
  const names: { [source: string]: string } = {};
  for (const n of BENCH_MEMBERS) names[n] = short[n] || n;
  const sourceOf: { [short: string]: string } = {};
  if (CFG.prof) for (const n of Object.keys(short)) sourceOf[short[n]!] = n;
  return { names, sourceOf };
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0]!, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, max: s[s.length - 1]! };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The engine's script: the settings and the build's member names, then engine-bench.js. */
function benchScript(cfg: object, members: ReturnType<typeof memberNames>): string {
  return 'var CFG = ' + JSON.stringify(cfg) + ';\n' + 'var M = ' + JSON.stringify(members.names) + ';\nvar SOURCE_NAME = ' +
    JSON.stringify(members.sourceOf) + ';\n' + fs.readFileSync(path.join(__dirname, 'engine-bench.js'), 'utf8');
}

function benchFiles(at: boolean): { [name: string]: string } {
  return at ? { AT: fs.readFileSync(AT_MODULE, 'latin1') } : {};
}

/**
 * --count: instructions instead of time. valgrind's callgrind counts every instruction the engine runs, so
 * a figure is the same at every run, whatever else the machine does (timed ratios of one run spread over
 * +-30% here). Each contender and stream runs alone, in the same script on the same bytes, at two sizes;
 * the difference of the counts over the difference of the sizes is what one more line (or one more 730-byte
 * read) costs, without the start-up and the load of the modules. Slower than the timed run (a few minutes),
 * and not the figure of record: the engine's time is. It shows where a change moves the cost, by less than
 * the timed run's spread can.
 */
async function countMain(): Promise<number> {
  if (spawnSync(VALGRIND, ['--version']).status !== 0) {
    console.error(`spwf04 bench: --count needs valgrind (apt-get install valgrind; or its path in BENCH_VALGRIND), not found: ${VALGRIND}`);
    return 2;
  }
  const members = memberNames();
  const none = { at: false, whole: false, engineAlone: false };
  const jobs = [
    { key: 'winds at', c: { at: true, skipOurs: true }, winds: true, label: '+WIND stream, AT module' },
    { key: 'winds ours', c: { whole: true }, winds: true, label: '+WIND stream, our whole layer' },
    { key: 'winds ours-engine', c: { engineAlone: true }, winds: true, label: '+WIND stream, our engine alone' },
    { key: 'reads at', c: { at: true, skipOurs: true }, winds: false, label: '730-byte reads, AT module' },
    { key: 'reads ours', c: { whole: true }, winds: false, label: '730-byte reads, our layer' },
  ].filter((j) => (CFG.at || !j.c.at) && (CFG.whole || !j.c.whole) && (CFG.engineAlone || !j.c.engineAlone));
  // Two sizes per stream: lines of the +WIND stream (whole blocks of 12), and reads (whole bursts)
  const lines = arg('lines', 2400);
  const reads = arg('reads', 100);
  const w0 = Math.max(12, Math.round(lines / 240) * 12);
  const r0 = Math.max(CFG.burst, Math.round(reads / 25 / CFG.burst) * CFG.burst);
  const sizes = {
    winds: [w0, Math.max(w0 + 12, Math.round(lines / 48) * 12)],
    reads: [r0, Math.max(r0 + CFG.burst, Math.round(reads / 5 / CFG.burst) * CFG.burst)],
  };
  console.log(`instructions per line and per read (valgrind callgrind), each contender alone at ${sizes.winds.join(' and ')} lines, ${sizes.reads.join(' and ')} reads`);
  const per: { [key: string]: number } = {};
  for (const job of jobs) {
    const counts: number[] = [];
    const n = job.winds ? sizes.winds : sizes.reads;
    for (const size of n) {
      const folder = new DeviceFolder();
      try {
        const cfg = Object.assign({}, CFG, none, job.c, { runs: 1, windLines: job.winds ? size : 0, reads: job.winds ? 0 : size, prof: false, trace: false });
        const r = await folder.run(benchScript(cfg, members), {
          files: benchFiles(!!job.c.at), timeoutMs: arg('timeout', 900) * 1000, wrap: CALLGRIND,
        });
        const count = instructionsCounted(r.output.join('\n'));
        if (isNaN(count) || !r.ended || r.errors.some((e) => !/^==\d+==/.test(e))) {
          console.error(`${job.label}: the run did not finish cleanly\n` + r.errors.concat(r.output.filter((l) => !/^==\d+==/.test(l)).slice(-12)).join('\n'));
          return 1;
        }
        counts.push(count);
      } finally {
        folder.remove();
      }
    }
    per[job.key] = (counts[1]! - counts[0]!) / (n[1]! - n[0]!);
    console.log(`${job.label.padEnd(32)} ${fmt(per[job.key]! / 1000).padStart(7)} thousand instructions per ${job.winds ? 'line' : 'read'}`);
  }
  const ratio = (a: string, b: string) => (per[a] && per[b] ? (per[b]! / per[a]!).toFixed(2) : 'n/a');
  if (CFG.at) {
    console.log(`ratio AT/ours (instructions; above 1: ours takes fewer): +WIND whole layer ${ratio('winds ours', 'winds at')}, ` +
      `+WIND engine alone ${ratio('winds ours-engine', 'winds at')}, socket reads ${ratio('reads ours', 'reads at')}`);
  }
  return 0;
}

async function main(): Promise<number> {
  if (process.argv.indexOf('--help') >= 0 || process.argv.indexOf('-h') >= 0) {
    console.log(USAGE);
    return 0;
  }
  if (!ENGINE) {
    console.log(NO_ENGINE_LINE.replace('device tests skipped', 'benchmark not run'));
    return 0;
  }
  if (process.argv.indexOf('--count') >= 0) return countMain();
  const sizes = moduleSizes();
  console.log(`device build: ${Object.keys(sizes.each).map((n) => `${n} ${sizes.each[n]} bytes`).join(', ')}`);
  console.log(`engine: ${path.relative(process.cwd(), ENGINE)}; ${CFG.runs} runs; +WIND stream ${CFG.windLines} lines; ` +
    `socket reads ${CFG.reads} x 730 bytes in bursts of ${CFG.burst}; 64-byte chunks, one handler call each, up to ${CFG.batch} per turn of the event loop`);
  if (!CFG.at) console.log('Espruino\'s AT module not found (../shared/anchors/espruino-AT.js): our figures only');
  // Every contender in one engine process, run after run (the figure of record: the same heap, the same
  // moment's load on the machine). --separate runs each contender in its own process of the same engine on
  // the same bytes (for a layer that does not fit beside the AT module).
  const same = process.argv.indexOf('--separate') < 0;
  const contenders = same
    ? [{ at: CFG.at, whole: CFG.whole, engineAlone: CFG.engineAlone }]
    : [{ at: CFG.at, whole: false, engineAlone: false, skipOurs: true }, { at: false, whole: CFG.whole, engineAlone: false },
       { at: false, whole: false, engineAlone: CFG.engineAlone }].filter((c) => c.at || c.whole || c.engineAlone);
  console.log(same ? 'one engine process for every contender' : 'one engine process per contender (see run.ts)');
  const results: { [key: string]: number[] } = {};
  const holds: { [who: string]: number } = {};
  const problems: string[] = [];
  const t0 = Date.now();
  // Run by run, contender by contender (one run per engine process), so that a change of load on the machine
  // hits every contender of a run alike: the ratio is taken per run.
  const members = memberNames();
  const jobs: { c: typeof contenders[number]; run: number }[] = [];
  for (let run = 1; run <= (same ? 1 : CFG.runs); run++) for (const c of contenders) jobs.push({ c, run });
  for (const { c } of jobs) {
    const folder = new DeviceFolder();
    try {
      const r = await folder.run(benchScript(Object.assign({}, CFG, c, same ? {} : { runs: 1 }), members), {
        files: benchFiles(c.at), timeoutMs: arg('timeout', 240) * 1000, onLine: process.env.BENCH_TRACE ? (l) => console.log('  | ' + l) : undefined,
      });
      for (const line of r.output) {
        const p = line.split(' ');
        if (p[0] === '@R') (results[p[1] + ' ' + p[2]] = results[p[1] + ' ' + p[2]] || []).push(Number(p[4]) / (Number(p[5]) / 1000));
        else if (p[0] === '@HOLD') holds[p[1]!] = Number(p[2]);
        else if (p[0] === '@NOTE') console.log(line.slice(6));
      }
      const bad = [...r.errors, ...r.fail.map((f) => f.label + ' ' + f.msg)];
      if (r.timedOut) bad.push('timed out');
      if (bad.length || !r.ended) {
        problems.push(`contender ${JSON.stringify(c)}:\n` + bad.join('\n') + '\n' + r.output.filter((l) => l.trim() && l[0] !== ' ' && l[0] !== '#').slice(-20).join('\n'));
      }
    } finally {
      folder.remove();
    }
  }
  {
    const label: { [k: string]: string } = {
      'winds at': '+WIND stream, AT module (registerLine, split(":") per line)',
      'winds ours': '+WIND stream, our whole layer (start(fakeSerial))',
      'winds ours-engine': '+WIND stream, our engine alone (typed events)',
      'reads at': '730-byte reads, AT module (SOCKQ/SOCKR, getData)',
      'reads ours': '730-byte reads, our layer (its own SOCKQ/SOCKR)',
    };
    const medians: { [k: string]: number } = {};
    for (const key of Object.keys(label)) {
      const xs = results[key];
      if (!xs || !xs.length) continue;
      const s = stats(xs);
      medians[key] = s.median;
      const unit = key.indexOf('reads') === 0 ? 'KB/s' : 'lines/s';
      const k = unit === 'KB/s' ? 1 / 1024 : 1;
      console.log(`${label[key]!.padEnd(62)} min ${fmt(s.min * k)}  median ${fmt(s.median * k)}  max ${fmt(s.max * k)} ${unit}`);
    }
    // The ratio per run (ours in run r over the AT module in run r), then its min/median/max.
    const ratio = (a: string, b: string) => {
      const xs = results[a];
      const ys = results[b];
      if (!xs || !ys || !xs.length || !ys.length) return 'n/a';
      const rs: number[] = [];
      for (let i = 0; i < Math.min(xs.length, ys.length); i++) rs.push(xs[i]! / ys[i]!);
      const s = stats(rs);
      return `${s.median.toFixed(2)} (${s.min.toFixed(2)}-${s.max.toFixed(2)})`;
    };
    if (CFG.at) {
      console.log(`ratio ours/AT per run, median (min-max): +WIND whole layer ${ratio('winds ours', 'winds at')}, ` +
        `+WIND engine alone ${ratio('winds ours-engine', 'winds at')}, socket reads ${ratio('reads ours', 'reads at')}`);
    }
    console.log(`variables held: ours ${holds.ours ?? '?'} (require + start + link up)` +
      (holds['ours-engine'] !== undefined ? `, our engine alone ${holds['ours-engine']}` : '') +
      (CFG.at ? `, AT module ${holds.at ?? '?'} (require + connect + handlers)` : ''));
    console.log(`engine runs: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (problems.length) {
      console.error('the benchmark did not finish cleanly:\n' + problems.join('\n'));
      return 1;
    }
    return 0;
  }
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
