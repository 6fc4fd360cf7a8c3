import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { SimModule } from '../../hosts/sim/module';
import { parseTrace } from '../../hosts/node/trace/format';
import { analyse } from '../../hosts/node/trace/exchanges';
import { FAST_TIMING } from '../helpers/sim-session';

// The Espruino host's `trace` option, in the device build itself (build/out/espruino/*.js, or
// build/out/espruino.js as "spwf04"), run in a Node context that stands in for Espruino's globals (a
// Serial wired to the simulated module, console.log, a Storage with StorageFile): the lines it writes
// are a trace the desktop reader takes, with the passphrase masked.

const OUT = path.join(__dirname, '..', '..', 'build', 'out');

/** Storage module name → its code, as the build wrote them. */
function deviceModules(): { [name: string]: string } {
  const dir = path.join(OUT, 'espruino');
  const mods: { [name: string]: string } = {};
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir)) {
      if (f.endsWith('.js') && !f.endsWith('.debug.js')) mods[f.slice(0, -3)] = fs.readFileSync(path.join(dir, f), 'utf8');
    }
  } else mods.spwf04 = fs.readFileSync(path.join(OUT, 'espruino.js'), 'utf8');
  return mods;
}

/** Just enough of Espruino's Storage: named files, and StorageFile append/readLine. */
function fakeStorage() {
  const files: { [name: string]: string } = {};
  return {
    files,
    read: (n: string) => files[n],
    write: (n: string, d: string) => { files[n] = d; return true; },
    erase: (n: string) => { delete files[n]; },
    list: () => Object.keys(files),
    open: (n: string, mode: string) => {
      if (mode === 'w') files[n] = '';
      return {
        write: (d: string) => { files[n] = (files[n] || '') + d; },
        getLength: () => (files[n] || '').length,
      };
    },
  };
}

describe('trace: the Espruino host\'s trace option (device build)', function () {
  this.timeout(20000);

  it('the device code holds the trace writer only: no reader, summary or diagram', function () {
    const root = path.join(__dirname, '..', '..');
    const sources: string[] = [];
    const walk = (d: string) => {
      for (const f of fs.readdirSync(d)) {
        const p = path.join(d, f);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (f.endsWith('.ts')) sources.push(p);
      }
    };
    walk(path.join(root, 'src'));
    walk(path.join(root, 'hosts', 'espruino'));
    for (const f of sources) assert.ok(!/from '[^']*node\/trace/.test(fs.readFileSync(f, 'utf8')), f + ' imports the Node trace code');
    if (!fs.existsSync(path.join(OUT, 'espruino.js')) && !fs.existsSync(path.join(OUT, 'espruino'))) this.skip();
    const code = Object.values(deviceModules()).join('\n');
    assert.ok(code.includes('spwf04-trace'), 'the writer is in');
    for (const s of ['data phase', 'sequence diagram', '<svg', 'TraceFormatError']) assert.ok(!code.includes(s), s);
  });

  for (const target of ['console', 'spwf.trace']) {
    it('trace: "' + target + '" writes the exchange of a start and a join as a trace', async function () {
      if (!fs.existsSync(path.join(OUT, 'espruino.js')) && !fs.existsSync(path.join(OUT, 'espruino'))) this.skip();
      const mods = deviceModules();
      const logged: string[] = [];
      const storage = fakeStorage();
      const sim = new SimModule({ chunkSize: 64, timing: FAST_TIMING });
      let onData: ((d: string) => void) | undefined;
      const serial = {
        setup: () => undefined,
        removeAllListeners: () => undefined,
        on: (_ev: string, cb: (d: string) => void) => { onData = cb; },
        write: (b: string) => sim.write(b),
      };
      sim.onOutput((b) => { if (onData) onData(b); });
      const loaded: { [name: string]: any } = {};
      const sandbox: any = {
        console: { log: (s: string) => logged.push(String(s)) },
        getTime: () => Date.now() / 1000,
        setTimeout, clearTimeout,
        pinMode: () => undefined, digitalWrite: () => undefined,
        // Espruino's module cache: the core frees the join's module (spwf04-join) once a join has settled.
        Modules: { removeCached: (name: string) => { delete loaded[name]; } },
        require: (name: string) => {
          if (name === 'Storage') return storage;
          if (loaded[name]) return loaded[name];
          if (mods[name] === undefined) throw new Error('Module ' + name + ' not found');
          const exports = {};
          loaded[name] = exports;
          // Each module in a scope of its own, as Espruino's require() runs it.
          vm.runInContext('(function (exports) {\n' + mods[name] + '\n})', sandbox)(exports);
          return exports;
        },
      };
      vm.createContext(sandbox);
      const spwf04 = sandbox.require('spwf04');
      const conn = spwf04.start(serial, { rx: 'A10', tx: 'A9', network: false, trace: target, ssid: 'SPWF-Lab', psk: 'correct horse battery' });
      sim.powerOn();
      try {
        await new Promise<void>((resolve, reject) => {
          conn.on('up', () => resolve());
          conn.on('error', (e: Error) => reject(e));
        });
      } finally {
        conn.stop();
        sim.close();
      }
      const text = target === 'console' ? logged.filter((l) => l.charAt(0) === '{').join('\n') : storage.files[target];
      assert.ok(text && !text.includes('correct horse'), text);
      const tr = parseTrace(text, target);
      assert.equal(tr.header.source, 'espruino');
      const a = analyse(tr);
      const sent = a.exchanges.map((e) => e.text);
      for (const c of ['AT+S.SCFG=console_echo,0', 'AT+S.SSIDTXT=SPWF-Lab', 'AT+S.SCFG=wifi_wpa_psk_text,********', 'AT+S.WIFI=1']) {
        assert.ok(sent.includes(c), c + ' in ' + sent.join(' | '));
      }
      assert.ok(a.winds.some((w) => w.ev.kind === 'WifiUp'));
      assert.ok(a.exchanges.every((e) => e.outcome === 'ok' || e.outcome === 'rebooted'), JSON.stringify(a.exchanges.filter((e) => e.outcome !== 'ok')));
      if (target === 'console') assert.ok(!logged.some((l) => l.indexOf('[spwf04] error') === 0), logged.join('\n'));
    });
  }
});
