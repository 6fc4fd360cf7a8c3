import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as sinon from 'sinon';
import { Engine } from '../../src/at/engine';
import { Link } from '../../src/wifi/link';
import { allFeatures } from '../../src/index';
import { scriptedHost, lines } from '../helpers/scripted-host';
import { bench, Bench, join, LAB, startAndJoin, until } from './helpers';

// WPS and WPA2-Enterprise are optional modules: the core link never imports them and fails clearly when
// the application joins that way without them. One owner each for the reset pulse (with the unusable-pin
// detection) and for the module's (re)initialisation after boot.

const ROOT = path.resolve(__dirname, '..', '..');

/** Files reached from `file` through value imports (not `import type` / `export type`). */
function reached(file: string, seen: Set<string> = new Set()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = fs.readFileSync(file, 'utf8');
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    if (m[2]) continue;
    const next = path.resolve(path.dirname(file), m[3]) + '.ts';
    if (fs.existsSync(next)) reached(next, seen);
  }
  return seen;
}

describe('wifi: WPS and WPA2-Enterprise as optional modules', () => {
  it('the core link imports neither, nor anything it imports', () => {
    const files = [...reached(path.join(ROOT, 'src', 'wifi', 'link.ts'))].map((f) => path.relative(ROOT, f));
    assert.ok(files.includes('src/wifi/recovery.ts') && files.includes('src/wifi/steps.ts'), files.join('\n'));
    // configure.ts is the "join" module: loaded for a join, freed after it.
    for (const f of ['src/wifi/wps-join.ts', 'src/wifi/wps.ts', 'src/wifi/eap-join.ts', 'src/wifi/eap-certs.ts', 'src/wifi/configure.ts', 'src/certs/sha256.ts']) {
      assert.ok(!files.includes(f), f + ' is reached from link.ts:\n' + files.join('\n'));
    }
  });

  describe('without the modules', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => { clock = sinon.useFakeTimers(); });
    afterEach(() => { clock.restore(); });

    for (const [loader, what] of [[undefined, 'no loader'], [() => undefined, 'a loader that has nothing'],
      [() => { throw new Error('Module spwf04-wps not found'); }, "a loader that throws (Espruino's require)"]] as const) {
      it('a WPS or WPA2-Enterprise join fails with NotAvailable naming the module to upload: ' + what, async () => {
        const s = scriptedHost();
        const engine = new Engine(s.host);
        const link = new Link(engine, s.host, { feature: loader as any });
        engine.start();
        s.feed(lines('+WIND:0:Console active'));
        const wps = await link.join({ wps: 'button' }).catch((e) => e);
        assert.equal(wps.code, 'NotAvailable');
        assert.match(wps.message, /"spwf04-wps"/);
        const eap = await link.join({ ssid: 'Corp', eap: { method: 'peap-mschapv2', identity: 'alice', password: 'x' } }).catch((e) => e);
        assert.equal(eap.code, 'NotAvailable');
        assert.match(eap.message, /"spwf04-eap"/);
        assert.deepEqual(s.written, [], 'nothing sent');
        assert.equal(link.state, 'down');
        engine.stop();
      });
    }

    it('a PSK join needs only the "join" module, freed once the join has settled', async () => {
      const s = scriptedHost();
      const engine = new Engine(s.host);
      const asked: string[] = [];
      const freed: string[] = [];
      const link = new Link(engine, s.host, {
        feature: (n) => { asked.push(n); return n === 'join' ? allFeatures('join') : undefined; },
        release: (n) => { freed.push(n); },
        joinTimeoutMs: 1000,
      });
      engine.start();
      s.feed(lines('+WIND:0:Console active'));
      const done = link.join(LAB).catch((e) => e);
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.GCFG=wifi_mode');
      assert.deepEqual(asked, ['join']);
      assert.deepEqual(freed, [], 'kept while the join runs');
      await clock.tickAsync(30000); // the scripted module never answers: the join fails
      assert.ok((await done) instanceof Error);
      assert.deepEqual(freed, ['join']);
      engine.stop();
    });

    it('a join that writes settings frees the "join" module as the module restarts, once, and still ends at WiFi Up', async () => {
      // On the board the restart is the join's peak: nothing of the join's module may stay alive through it.
      const freedAt: string[] = [];
      const b = bench({ conn: { release: (n: string) => { freedAt.push(n + ' after ' + b.sent().slice(-1)[0]); } } as any });
      try {
        const ip = await startAndJoin(clock, b, LAB);
        assert.equal(typeof ip, 'string', String(ip));
        assert.deepEqual(freedAt, ['join after AT+S.RESET'], 'freed once, when the reset was sent (before WiFi Up)');
        const again = await join(clock, b, LAB); // nothing differs now: no write, no restart
        assert.equal(again, ip);
        assert.deepEqual(freedAt, ['join after AT+S.RESET', 'join after AT+S.STS=ip_ipaddr'], 'freed when that join settled');
      } finally {
        b.close();
      }
    });

    it('without the "join" module, forgetting the settings warns and releases nothing', () => {
      const s = scriptedHost();
      const engine = new Engine(s.host);
      const freed: string[] = [];
      const link = new Link(engine, s.host, { feature: () => undefined, release: (n) => { freed.push(n); } });
      link.forgetSettings();
      assert.deepEqual(freed, [] as string[], 'a module never loaded is not released (Espruino would throw)');
      assert.ok(s.logs.some((l) => l.level === 'warn' && /could not be cleared/.test(l.message)), JSON.stringify(s.logs));
      const loaded = new Link(engine, s.host, { feature: allFeatures, release: (n) => { freed.push(n); } });
      loaded.forgetSettings();
      loaded.forgetSettings();
      assert.deepEqual(freed, ['join', 'join'], 'loaded and released each time, once');
    });

    it('a join whose module refuses a setting as it starts fails with that error and frees the module (PSK and EAP)', async () => {
      // The steps are callbacks inside one promise: a throw from configure(), directly or inside the EAP
      // preparation's .then, must settle the join, not leave it pending.
      const refused = new Error('a command builder refused a parameter');
      const join = Object.assign({}, allFeatures('join'), { configure: () => { throw refused; } });
      const eap = { checkEap: () => null, prepareEap: () => Promise.resolve([]) };
      for (const net of [LAB, { ssid: 'Corp', eap: { method: 'peap-mschapv2', identity: 'me', password: 'pw' } }]) {
        const s = scriptedHost();
        const engine = new Engine(s.host);
        const freed: string[] = [];
        const link = new Link(engine, s.host, {
          feature: (n) => (n === 'join' ? join : n === 'eap' ? eap : undefined) as any,
          release: (n) => { freed.push(n); },
        });
        engine.start();
        s.feed(lines('+WIND:0:Console active'));
        const e = await link.join(net as any).catch((x) => x);
        assert.equal(e, refused, net.ssid);
        assert.deepEqual(freed, 'eap' in net ? ['eap', 'join'] : ['join'], net.ssid + ': the modules of the join freed once it settled');
        assert.equal(link.state, 'failed', net.ssid);
        engine.stop();
      }
    });

    it('without the "join" module a join fails with NotAvailable naming it, before anything is sent', async () => {
      const s = scriptedHost();
      const engine = new Engine(s.host);
      const link = new Link(engine, s.host, { feature: () => undefined });
      engine.start();
      s.feed(lines('+WIND:0:Console active'));
      const e = await link.join(LAB).catch((x) => x);
      assert.equal(e.code, 'NotAvailable');
      assert.match(e.message, /"spwf04-join"/);
      assert.deepEqual(s.written, []);
      assert.equal(link.state, 'down');
      engine.stop();
    });

  });
});

describe('wifi: one owner for the reset pulse and for the module\'s initialisation', function () {
  this.timeout(30000);
  let clock: sinon.SinonFakeTimers;
  let b: Bench;
  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => { b.close(); clock.restore(); });

  const echoOffs = (from = 0) => b.sent(from).filter((l) => l === 'AT+S.SCFG=console_echo,0').length;

  it('start(): one pulse, the restart it brings, echo off once', async () => {
    b = bench();
    let started = false;
    b.conn.start().then(() => { started = true; });
    await until(clock, () => started, 20000);
    assert.ok(started);
    assert.equal(b.pulses, 1);
    assert.equal(echoOffs(), 1, b.sent().join('\n'));
    await clock.tickAsync(20000);
    assert.ok(!b.logs.some((l) => /reset pin did not restart/.test(l.message)), 'the pin restarted the module');
    assert.ok(b.link.recovery.pinUsable());
  });

  it('start() with a reset pin that does nothing: the pin is found unusable there, and recovery resets with AT+S.RESET', async () => {
    b = bench({ pin: 'broken' });
    await clock.tickAsync(1000); // the module, powered with the board, has booted
    let started = false;
    b.conn.start().then(() => { started = true; });
    await until(clock, () => started, 20000);
    await clock.tickAsync(10000);
    assert.equal(b.pulses, 1);
    assert.ok(b.logs.some((l) => /reset pin did not restart the module/.test(l.message)));
    assert.ok(!b.link.recovery.pinUsable());
    assert.equal(await join(clock, b, LAB), '192.168.1.42');
    assert.equal(b.sent().filter((l) => l === 'AT+S.RESET').length, 1, 'only the join\'s own reset: none for the pin at start');
    b.events.length = 0;
    b.sim.hardFault('test', 500);
    await clock.tickAsync(10);
    await until(clock, () => b.link.state === 'up', 120000);
    assert.equal(b.events.filter((e) => e[0] === 'recovering')[0][1].step, 'soft-reset', 'straight to AT+S.RESET');
    assert.equal(b.pulses, 1, 'the pin is not touched again');
  });

  it('after every restart (the join\'s reset, a watchdog\'s), echo off once', async () => {
    b = bench();
    assert.equal(await startAndJoin(clock, b, LAB), '192.168.1.42');
    assert.equal(echoOffs(), 2, 'start, then after the join\'s AT+S.RESET');
    const from = b.trace.length;
    b.sim.hardReset();
    await until(clock, () => b.link.state === 'up' && echoOffs(from) > 0, 20000);
    await clock.tickAsync(1000);
    assert.equal(echoOffs(from), 1);
  });
});

describe('optional services and the indications they read', function () {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => clock.restore());

  it('socket traffic (+WIND:55, 58, 61, 62) goes only to the sockets, whatever optional services were made', () => {
    // Each handler on that list is a call at every pending-data indication: the certificates' provisioner
    // reads only PowerOn, the firmware updater PowerOn and the losses of the link.
    const b = bench();
    try {
      const lists = (b.conn.engine as any).windHandlers; // by class: 1 traffic, 2 the rest, 6 the time, 7 PowerOn
      const count = () => [1, 2, 6, 7].map((c) => (lists[c] || []).length);
      const before = count();
      assert.ok(b.conn.certs && b.conn.fota);
      const after = count();
      // (the time goes to the handlers of the rest too)
      assert.deepEqual(after.map((n, i) => n - before[i]!), [0, 1, 2, 2], 'traffic none, the rest the updater, the time and PowerOn both');
    } finally {
      b.close();
    }
  });
});
