// The real Espruino engine (NUCLEO-F401RE heap, tools/espruino/README.md) as the judge of the device build:
// finds the engine, puts every module of the device build into a flash image (made once per build and
// cached), and runs an Espruino script from that flash in a temporary folder, collecting what it prints.
//
// The script speaks a line protocol (the prelude below gives it T.*):
//   @MEM <label> <usage>   process.memory().usage at a point (absolute; T.base() marks the baseline)
//   @OK <label>            a step passed
//   @FAIL <label> <msg>    a step failed (the run goes on unless the script ends)
//   @FLAGS <flags>         E.getErrorFlags() at the end (CALLBACK/MEMORY mean a handler was removed)
//   @END                   the script finished; the engine is stopped
// MEMORY, LOW_MEMORY or Uncaught anywhere in the output is a failure, shown with the output.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import { mangledMemberNames, shortMemberNames } from '../../build/build.mjs';

export const ROOT = path.join(__dirname, '..', '..');
const STORE = path.join(ROOT, 'tools', 'espruino', 'store.mjs');

/** The engine binary, or undefined when it is not there. */
export function findEngine(): string | undefined {
  const candidates = [process.env.ESPRUINO_NUCLEO, path.join(ROOT, '..', 'shared', 'tools', 'espruino', 'espruino-nucleo')];
  for (const c of candidates) {
    if (!c) continue;
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return path.resolve(c);
    } catch (e) {
      // next
    }
  }
  return undefined;
}

export const ENGINE = findEngine();

/** The one line printed when the engine is absent. */
export const NO_ENGINE_LINE = 'device tests skipped: no Espruino engine at ../shared/tools/espruino/espruino-nucleo '
  + 'or $ESPRUINO_NUCLEO; build it as tools/espruino/README.md says (Espruino at c5ff787b + linux-nucleo.patch, '
  + 'make BOARD=LINUX_NUCLEO)';

let skipLinePrinted = false;

/** describe() when the engine is there; otherwise the suite is skipped and NO_ENGINE_LINE printed once. */
export function describeDevice(title: string, fn: (this: Mocha.Suite) => void): void {
  if (ENGINE) {
    describe(title, fn);
    return;
  }
  if (!skipLinePrinted) {
    skipLinePrinted = true;
    console.log(NO_ENGINE_LINE);
  }
  describe.skip(title, fn);
}

export interface DeviceModule {
  /** Storage name (what require() takes). */
  name: string;
  file: string;
}

/** Every module of the device build: build/out/espruino/*.js except *.debug.js when that folder exists,
 *  else build/out/espruino.js as "spwf04". */
export function deviceModules(): DeviceModule[] {
  const dir = path.join(ROOT, 'build', 'out', 'espruino');
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    return fs.readdirSync(dir)
      .filter((f) => f.endsWith('.js') && !f.endsWith('.debug.js'))
      .sort()
      .map((f) => ({ name: f.slice(0, -3), file: path.join(dir, f) }));
  }
  const single = path.join(ROOT, 'build', 'out', 'espruino.js');
  if (!fs.existsSync(single)) throw new Error('no device build: run npm run build');
  return [{ name: 'spwf04', file: single }];
}

/** Extra Storage files for a run (e.g. certificates), name → bytes (a byte string). */
export type StorageFiles = { [name: string]: string };

function store(dir: string, specs: string[], keep: boolean): void {
  const args = [STORE, '--dir', dir].concat(keep ? ['--keep'] : [], specs);
  try {
    execFileSync(process.execPath, args, {
      env: Object.assign({}, process.env, { ESPRUINO_NUCLEO: ENGINE }),
      stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000,
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error('store.mjs failed: ' + (err.stderr ? err.stderr.toString().trim() : err.message));
  }
}

/** A flash image holding every device module; made with store.mjs once per build (cached by content hash
 *  in the system's temp folder: storing runs the engine once per 4 KB, seconds for the whole build). */
export function deviceFlash(): string {
  const modules = deviceModules();
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(STORE));
  for (const m of modules) {
    hash.update(m.name + '\0');
    hash.update(fs.readFileSync(m.file));
  }
  const cacheDir = path.join(os.tmpdir(), 'spwf04-device-flash');
  const image = path.join(cacheDir, hash.digest('hex').slice(0, 24) + '.flash');
  if (fs.existsSync(image)) return image;
  fs.mkdirSync(cacheDir, { recursive: true });
  // Images of builds older than a day are not coming back: keep the cache small.
  for (const f of fs.readdirSync(cacheDir)) {
    const old = path.join(cacheDir, f);
    try {
      if (Date.now() - fs.statSync(old).mtimeMs > 86400000) fs.rmSync(old, { force: true });
    } catch (e) {
      // another process removed it
    }
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-store-'));
  try {
    store(work, modules.map((m) => m.file + '=' + m.name), false);
    const tmp = image + '.' + process.pid;
    fs.copyFileSync(path.join(work, 'espruino.flash'), tmp);
    fs.renameSync(tmp, image);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return image;
}

/** Total bytes of the device modules, and each module's. */
export function moduleSizes(): { total: number; each: { [name: string]: number } } {
  const each: { [name: string]: number } = {};
  let total = 0;
  for (const m of deviceModules()) {
    each[m.name] = fs.statSync(m.file).size;
    total += each[m.name]!;
  }
  return { total, each };
}

/** Functions every device script gets (in flash with it). T.sample() keeps the peak from a 5 ms interval
 *  and from every T.mem(); the interval is there before T.base(), so it is not counted as the layer's. */
export const PRELUDE = `
process.memory();
var T = { peak: 0, base0: 0, iv: undefined };
T.now = function () { var u = process.memory().usage; if (u > T.peak) T.peak = u; return u; };
T.sample = function (ms) { if (T.iv === undefined) T.iv = setInterval(T.now, ms || 5); };
T.base = function () { T.peak = 0; T.base0 = T.now(); print("@MEM base " + T.base0); return T.base0; };
T.mem = function (label) { var u = T.now(); print("@MEM " + label + " " + u); return u; };
T.ok = function (label) { print("@OK " + label); };
T.fail = function (label, e) { print("@FAIL " + label + " " + (e && e.code ? e.code + " " : "") + (e && e.message !== undefined ? e.message : e)); if (e && e.stack) print("@STACK " + String(e.stack).split(String.fromCharCode(10)).join(" | ")); };
T.end = function () {
  if (T.iv !== undefined) clearInterval(T.iv);
  T.now();
  print("@MEM peak " + T.peak);
  print("@FLAGS " + E.getErrorFlags().join(","));
  print("@END");
  setTimeout(function () { quit(); }, 1);
};
`;

export interface DeviceRun {
  /** Every line the engine printed (banner included). */
  output: string[];
  /** @MEM label → usage (the last one printed under that label). */
  mem: { [label: string]: number };
  /** Every @MEM in order. */
  memSeries: { label: string; usage: number }[];
  ok: string[];
  fail: { label: string; msg: string }[];
  flags: string[];
  ended: boolean;
  timedOut: boolean;
  /** MEMORY, LOW_MEMORY, Uncaught ... lines. */
  errors: string[];
}

export interface RunOptions {
  /** Give up (and stop the engine) after this long; default 30 s. */
  timeoutMs?: number;
  /** Extra Storage files, written into this run's flash (one engine run per 4 KB). */
  files?: StorageFiles;
  /** Every line the engine prints, as it comes (e.g. to inject a fault at a step). */
  onLine?: (line: string) => void;
  /** Ends the run (as @END does) at the first line for which it returns true: for scripts that do not
   *  speak the protocol, such as the README's example. */
  until?: (line: string) => boolean;
  /** Give the engine a console on stdin: `send(js)` types a line there (the script should call echo(0)).
   *  A control channel from the test into the running script (e.g. "go on, the fault is armed"). */
  console?: (send: (js: string) => void) => void;
  /** End the run when the engine prints nothing for this long (a script that stopped making progress). */
  idleTimeoutMs?: number;
  /** End the run at the first MEMORY/Uncaught line (for long scripts that would otherwise idle on). */
  stopOnError?: boolean;
  /** Run the engine under this command (e.g. valgrind and its options): its output joins the engine's, and
   *  the run ends when it exits (the script quits after @END), so that what it prints last is kept. */
  wrap?: string[];
}

const ERROR_LINE = /MEMORY|LOW_MEMORY|Uncaught|ASSERT|INTERNAL ERROR/;

/** Engines still running: stopped if this process exits first (a run always stops its own). */
const liveEngines = new Set<ChildProcess>();
process.on('exit', () => {
  for (const e of liveEngines) e.kill('SIGKILL');
});

/** A temporary folder with its own copy of the flash, where device scripts run. */
export class DeviceFolder {
  readonly dir: string;
  readonly pty: string;

  constructor() {
    if (!ENGINE) throw new Error(NO_ENGINE_LINE);
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-device-'));
    this.pty = path.join(this.dir, 'pty');
    fs.copyFileSync(deviceFlash(), path.join(this.dir, 'espruino.flash'));
  }

  /** Write files into this folder's flash (Storage). */
  storeFiles(files: StorageFiles): void {
    const names = Object.keys(files);
    if (!names.length) return;
    const specs: string[] = [];
    for (const name of names) {
      const f = path.join(this.dir, 'file-' + specs.length);
      fs.writeFileSync(f, Buffer.from(files[name]!, 'latin1'));
      specs.push(f + '=' + name);
    }
    store(this.dir, specs, true);
  }

  /** Run `script` (Espruino JS; PRELUDE is put before it) from flash as the Storage module "app", and
   *  resolve when it prints @END, exits, or the timeout passes (the engine is always stopped). */
  run(script: string, opts: RunOptions = {}): Promise<DeviceRun> {
    this.storeFiles(Object.assign({}, opts.files || {}, { app: PRELUDE + script }));
    fs.writeFileSync(path.join(this.dir, 'main.js'), 'require("app");\n');
    const result: DeviceRun = {
      output: [], mem: {}, memSeries: [], ok: [], fail: [], flags: [], ended: false, timedOut: false, errors: [],
    };
    return new Promise((resolve) => {
      const argv = (opts.wrap || []).concat([ENGINE!, 'main.js']);
      const engine = spawn(argv[0]!, argv.slice(1), { cwd: this.dir, stdio: [opts.console ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      liveEngines.add(engine);
      engine.once('exit', () => liveEngines.delete(engine));
      if (opts.console) {
        engine.stdin!.on('error', () => undefined);
        opts.console((js) => { if (!done) engine.stdin!.write(js + '\n'); });
      }
      let partial = '';
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(idle);
        if (engine.exitCode === null && engine.signalCode === null) engine.kill('SIGKILL');
        if (partial) onLine(partial);
        resolve(result);
      };
      const timer = setTimeout(() => {
        result.timedOut = true;
        finish();
      }, opts.timeoutMs || 30000);
      let idle: NodeJS.Timeout | undefined;
      const touch = () => {
        if (!opts.idleTimeoutMs) return;
        clearTimeout(idle);
        idle = setTimeout(() => {
          result.errors.push(`the engine printed nothing for ${opts.idleTimeoutMs} ms`);
          finish();
        }, opts.idleTimeoutMs);
      };
      touch();
      const onLine = (raw: string) => {
        touch();
        // The console's prompt and line-editing escapes share stdout with print(): strip them.
        const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').replace(/^>+/, '');
        result.output.push(line);
        if (ERROR_LINE.test(line) && line.indexOf('@FLAGS') !== 0) {
          result.errors.push(line);
          if (opts.stopOnError) setTimeout(finish, 200); // the lines that explain it come right after
        }
        const parts = line.split(' ');
        if (parts[0] === '@MEM' && parts.length >= 3) {
          const usage = Number(parts[parts.length - 1]);
          const label = parts.slice(1, -1).join(' ');
          result.mem[label] = usage;
          result.memSeries.push({ label, usage });
        } else if (parts[0] === '@OK') result.ok.push(parts.slice(1).join(' '));
        else if (parts[0] === '@FAIL') result.fail.push({ label: parts[1] || '', msg: parts.slice(2).join(' ') });
        else if (parts[0] === '@FLAGS') result.flags = parts[1] ? parts[1].split(',') : [];
        else if (parts[0] === '@END' || (opts.until && opts.until(line))) {
          result.ended = true;
          if (!opts.wrap) finish();
        }
        if (opts.onLine) {
          try {
            opts.onLine(line);
          } catch (e) {
            result.fail.push({ label: 'harness', msg: String(e) });
          }
        }
      };
      const onData = (d: Buffer) => {
        if (done) return;
        const text = partial + d.toString('latin1');
        const lines = text.split('\n');
        partial = lines.pop()!;
        for (const l of lines) if (!done) onLine(l);
      };
      engine.stdout!.on('data', onData);
      engine.stderr!.on('data', onData);
      engine.on('exit', finish);
      engine.on('error', (e) => {
        result.errors.push('cannot run the engine: ' + e.message);
        finish();
      });
    });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A failure message with the script's output when the run did not end cleanly; '' when it did. */
export function runProblems(r: DeviceRun): string {
  const problems: string[] = [];
  if (r.timedOut) problems.push('timed out before @END');
  else if (!r.ended) problems.push('the engine stopped before @END');
  for (const e of r.errors) problems.push('engine: ' + e);
  for (const f of r.fail) problems.push('@FAIL ' + f.label + ' ' + f.msg);
  if (r.flags.length) problems.push('E.getErrorFlags(): ' + r.flags.join(','));
  if (!problems.length) return '';
  return problems.join('\n') + '\n--- engine output ---\n' + r.output.filter((l) => l.trim()).slice(-60).join('\n');
}

/** Throws with the output unless the run ended with no error, no @FAIL and no error flag. */
export function assertClean(r: DeviceRun): void {
  const p = runProblems(r);
  if (p) throw new Error(p);
}

/** usage at `label` minus the baseline before require. */
export function held(r: DeviceRun, label: string): number {
  assert.ok(r.mem.base !== undefined && r.mem[label] !== undefined, `no @MEM ${label} (and base) in the run`);
  return r.mem[label]! - r.mem.base!;
}

let boardNames: { [member: string]: string } | undefined;

/** The name a class member of the device build has on the board (the build shortens private names). */
export function onBoard(member: string): string {
  if (!boardNames) boardNames = shortMemberNames(mangledMemberNames());
  return boardNames[member] || member;
}

/** The layer's peak (held at 'peak') is at most `ceiling` variables. */
export function assertPeakWithin(r: DeviceRun, ceiling: number): void {
  assert.ok(held(r, 'peak') <= ceiling, `the layer peaked at ${held(r, 'peak')} variables (ceiling ${ceiling})`);
}

/** Prints the variables held at every @MEM of the run (what the layer holds: usage minus the baseline). */
export function printHeld(title: string, r: DeviceRun): void {
  const base = r.mem.base;
  if (base === undefined) {
    console.log(`      ${title}: no baseline (the script stopped before it)`);
    return;
  }
  const parts = r.memSeries.filter((m) => m.label !== 'base').map((m) => `${m.label} ${m.usage - base}`);
  console.log(`      ${title}, variables held: ${parts.join(', ')}`);
}
