#!/usr/bin/env node
// `npm run device:memory`: what each Storage module of the device build costs once required, in the real
// Espruino engine with the NUCLEO-F401RE heap (../shared/tools/espruino, or $ESPRUINO_NUCLEO): the
// modules are stored in the engine's emulated flash as the board keeps them, then required one by one in
// fresh runs (an optional module after the core, which it extends: its figure is what it adds). Prints one line per module: bytes, variables held after require. Exit 0; 1 when the engine
// is missing or a module fails to load.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ESPRUINO_OUT, ROOT } from './build.mjs';

export function findEngine() {
  const p = process.env.ESPRUINO_NUCLEO || path.join(ROOT, '..', 'shared', 'tools', 'espruino', 'espruino-nucleo');
  return fs.existsSync(p) ? p : null;
}

export function storeScript(engine) {
  const own = path.join(ROOT, 'tools', 'espruino', 'store.mjs');
  return fs.existsSync(own) ? own : path.join(path.dirname(engine), 'store.mjs');
}

/** The device modules as `file=storageName` specs. */
export function deviceModuleSpecs() {
  return fs.readdirSync(ESPRUINO_OUT).filter((f) => f.endsWith('.js') && !f.endsWith('.debug.js')).sort()
    .map((f) => path.join(ESPRUINO_OUT, f) + '=' + f.slice(0, -3));
}

/** { name: variables } after require(name), each in a fresh engine run on the same flash. */
export function measureModules(engine, names) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-mem-'));
  try {
    execFileSync(process.execPath, [storeScript(engine), '--dir', dir].concat(deviceModuleSpecs()), { stdio: 'pipe', env: Object.assign({}, process.env, { ESPRUINO_NUCLEO: engine }) });
    const out = {};
    for (const n of names) {
      // An optional module is measured on top of the core it extends (it takes shared code from it).
      const before = n === 'spwf04' ? '' : 'require("spwf04");';
      fs.writeFileSync(path.join(dir, 'm.js'), before + 'process.memory();var m0=process.memory().usage;try{var x=require(' + JSON.stringify(n) +
        ');print("@VARS "+(process.memory().usage-m0));}catch(e){print("@ERR "+e);}');
      let text;
      try {
        text = execFileSync(engine, ['m.js'], { cwd: dir, input: '', encoding: 'latin1', timeout: 20000 });
      } catch (e) {
        text = String(e.stdout || '') + String(e.message);
      }
      const m = /@VARS (\d+)/.exec(text);
      out[n] = m ? Number(m[1]) : (/@ERR.*|MEMORY/.exec(text) || ['no answer'])[0];
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const engine = findEngine();
  if (!engine) {
    console.error('the Espruino engine is not here: build it as tools/espruino/README.md says, or set ESPRUINO_NUCLEO');
    process.exit(1);
  }
  if (!fs.existsSync(ESPRUINO_OUT)) {
    console.error('no device build in ' + path.relative(process.cwd(), ESPRUINO_OUT) + ': run npm run build first');
    process.exit(1);
  }
  const specs = deviceModuleSpecs();
  const names = specs.map((s) => s.slice(s.lastIndexOf('=') + 1));
  const vars = measureModules(engine, names);
  let bad = false;
  for (const s of specs) {
    const [file, name] = s.split('=');
    const v = vars[name];
    if (typeof v !== 'number') bad = true;
    console.log((name + '.js').padEnd(20) + String(fs.statSync(file).size).padStart(7) + ' bytes  ' + String(v).padStart(5) + ' variables once required');
  }
  process.exit(bad ? 1 : 0);
}
