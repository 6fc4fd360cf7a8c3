import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { createConnectivity, Connectivity, ConnectivityOptions } from '../src/index';
import { scriptedHost, lines, ScriptedHost } from './helpers/scripted-host';
import { engineBusy } from './helpers/introspect';

// The clock gate in front of TLS: a TLS open through the façade waits until the module's clock can be
// trusted for certificate dates (ModuleClock.ensureGood), and fails with TimeNotSet when that never
// happens; plain TCP is not gated. The module is scripted (the simulator has no TLS sockets yet).

const NOW = Date.UTC(2026, 10, 30, 5, 0, 0) / 1000;

function timeAnswer(sec: number): string {
  const d = new Date(sec * 1000);
  const p = (n: number) => (n < 10 ? '0' : '') + n;
  return lines('AT-S.Date:' + p(d.getUTCFullYear() % 100) + '.' + p(d.getUTCMonth() + 1) + '.' + p(d.getUTCDate()),
    'AT-S.Time:' + p(d.getUTCHours()) + '.' + p(d.getUTCMinutes()) + '.' + p(d.getUTCSeconds()), 'AT-S.OK');
}

describe('clock gate: TLS opens wait for a good module clock', () => {
  let clock: sinon.SinonFakeTimers;
  let s: ScriptedHost;
  let conn: Connectivity;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: NOW * 1000 });
    s = scriptedHost();
  });

  afterEach(() => {
    conn.stop();
    clock.restore();
  });

  /** A façade whose engine is up and whose link is up (as after a join). */
  async function up(opts?: ConnectivityOptions): Promise<void> {
    conn = createConnectivity(s.host, Object.assign({ clock: { waitMs: 30000, pollMs: 5000 } }, opts || {}));
    conn.engine.start();
    s.feed(lines('+WIND:0:Console active', '+WIND:24:WiFi Up:0:192.168.1.42'));
    await clock.tickAsync(0);
    assert.equal(conn.link.state, 'up');
  }

  async function expectLine(line: string, answer: string): Promise<void> {
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), line);
    s.feed(answer);
    await clock.tickAsync(0);
  }

  const sockonWritten = () => s.written.some((w) => w.indexOf('AT+S.SOCKON=') === 0);

  /** After a module restart the link re-initialises it (echo off, …): answer that with OK until `line`. */
  async function okUntil(line: string): Promise<void> {
    for (let i = 0; i < 20; i++) {
      await clock.tickAsync(0);
      if (s.lastLine() === line) return;
      if (engineBusy(conn.engine)) s.feed(lines('AT-S.OK'));
    }
    assert.fail('never sent ' + line + '; last: ' + s.lastLine());
  }

  it('waits for NTP, then opens the TLS socket', async () => {
    await up();
    let opened = false;
    const p = conn.open('server.example', 443, 's').then((sock) => { opened = true; return sock; });
    await expectLine('AT+S.TIME', timeAnswer(7)); // a module clock reset to 1970
    assert.equal(conn.clock.state, 'not-set');
    await clock.tickAsync(5000);
    await expectLine('AT+S.TIME', timeAnswer(12)); // still not set: polled, not opened
    assert.equal(sockonWritten(), false);
    s.feed(lines('+WIND:84:NTP Server delivery:26.11.30:1:05.00.10'));
    await expectLine('AT+S.TIME', timeAnswer(NOW + 10));
    await expectLine('AT+S.SOCKON=server.example,443,,s', lines('AT-S.On:93.184.216.34:0', 'AT-S.OK'));
    const sock = await p;
    assert.ok(opened);
    assert.equal(sock.tls, true);
    assert.equal(conn.clock.state, 'good');

    // Once good, the next TLS open does not ask again (until the re-check period or a module reset).
    const p2 = conn.open('other.example', 8443, 'other.example');
    await expectLine('AT+S.SOCKON=other.example,8443,,other.example', lines('AT-S.On:93.184.216.35:1', 'AT-S.OK'));
    await p2;
  });

  it('fails with TimeNotSet when NTP never comes, and never sends SOCKON', async () => {
    await up();
    const p = conn.open('server.example', 443, 's').catch((e) => e);
    await expectLine('AT+S.TIME', timeAnswer(3));
    for (let t = 0; t < 7; t++) {
      await clock.tickAsync(5000);
      if (s.lastLine() === 'AT+S.TIME' && engineBusy(conn.engine)) s.feed(timeAnswer(8 + t * 5));
    }
    const err = await p;
    assert.equal(err.code, 'TimeNotSet');
    assert.ok(err.reasons.length > 0);
    assert.equal(sockonWritten(), false);
  });

  it('does not gate plain TCP or UDP', async () => {
    await up();
    const p = conn.open('echo.example', 7, 't');
    await expectLine('AT+S.SOCKON=echo.example,7,,t', lines('AT-S.On:10.0.0.7:2', 'AT-S.OK'));
    assert.equal((await p).tls, false);
    assert.equal(s.written.some((w) => w.indexOf('AT+S.TIME') === 0), false);
  });

  it('asks again after a module reset: the module clock restarts at 1970', async () => {
    await up();
    const p = conn.open('server.example', 443, 's');
    await expectLine('AT+S.TIME', timeAnswer(NOW));
    await expectLine('AT+S.SOCKON=server.example,443,,s', lines('AT-S.On:93.184.216.34:0', 'AT-S.OK'));
    await p;
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active', '+WIND:24:WiFi Up:0:192.168.1.42'));
    await clock.tickAsync(0);
    assert.equal(conn.clock.state, 'unknown');
    const p2 = conn.open('server.example', 443, 's').catch((e) => e);
    await okUntil('AT+S.TIME');
    s.feed(timeAnswer(2));
    await clock.tickAsync(31000);
    assert.equal((await p2).code, 'TimeNotSet');
  });

  it('sets the module clock from a trusted host clock instead of waiting', async () => {
    s.host.clock.wallSeconds = () => Math.floor(Date.now() / 1000);
    await up({ clock: { trustHostClock: true } });
    const p = conn.open('server.example', 443, 's');
    await expectLine('AT+S.TIME', timeAnswer(5));
    await expectLine('AT+S.TIME=' + NOW, lines('AT-S.OK'));
    await expectLine('AT+S.TIME', timeAnswer(NOW));
    await expectLine('AT+S.SOCKON=server.example,443,,s', lines('AT-S.On:93.184.216.34:0', 'AT-S.OK'));
    await p;
  });

  it('skips the gate only when told to, and says so in the log', async () => {
    await up({ clock: { skipDateChecks: true } });
    assert.ok(s.logs.some((l) => l.level === 'warn' && /date checks are skipped/.test(l.message)));
    const p = conn.open('server.example', 443, 's');
    await expectLine('AT+S.SOCKON=server.example,443,,s', lines('AT-S.On:93.184.216.34:0', 'AT-S.OK'));
    await p;
  });

  it('exposes the same gate for the other certificate users (HTTPS, SMTPS, EAP, FOTA)', async () => {
    await up();
    const g = conn.clock.ensureGood();
    await expectLine('AT+S.TIME', timeAnswer(NOW));
    await g;
  });
});
