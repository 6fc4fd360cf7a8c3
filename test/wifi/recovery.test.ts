import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import * as fc from 'fast-check';
import { backoffDelay } from '../../src/wifi/backoff';
import { run } from '../../src/at/run';
import * as at from '../../src/at/commands';
import { bench, Bench, LAB, startAndJoin, until } from './helpers';
import { resumeRecovery, suspendRecovery } from '../../src/wifi/recovery-hold';

// Staying connected: the link state machine after the link is up, against the simulated module's faults
// (the access point away and back, deauthentication, hard fault, a console that stops answering), with the
// escalation order, the backoff bounds and the IDW04A1 reset-pin fallback.

const BASE = 2000;
const CAP = 300000;
const JITTER = 0.5;

describe('wifi: backoff', () => {
  it('stays within [d(1-jitter), d] with d = min(cap, base 2^(n-1)), for any random draw', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (n, r) => {
      const d = Math.min(CAP, BASE * Math.pow(2, n - 1));
      const w = backoffDelay(n, { baseMs: BASE, capMs: CAP, jitter: JITTER }, () => r);
      return w >= Math.floor(d * (1 - JITTER)) && w <= d;
    }));
  });

  it('reaches the cap and stays there; no jitter gives the exact doubling', () => {
    const exact = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, { baseMs: 1000, capMs: 10000, jitter: 0 }, Math.random));
    assert.deepEqual(exact, [1000, 2000, 4000, 8000, 10000]);
    assert.equal(backoffDelay(1000, { baseMs: 1000, capMs: 10000, jitter: 0 }, Math.random), 10000);
  });

  it('without options: 2 s doubling up to 5 min, half of it random', () => {
    assert.deepEqual([1, 2, 9, 10, 1000].map((n) => backoffDelay(n, undefined, () => 0)), [2000, 4000, 300000, 300000, 300000]);
    assert.equal(backoffDelay(3, undefined, () => 0.5), 6000);
    assert.equal(backoffDelay(3, {}, () => 0.5), 6000);
  });
});

describe('wifi: recovery (simulated module, fake timers)', function () {
  this.timeout(30000);
  let clock: sinon.SinonFakeTimers;
  let b: Bench;

  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => { b.close(); clock.restore(); });

  async function up(o: Parameters<typeof bench>[0] = {}): Promise<void> {
    b = bench(o);
    assert.equal(await startAndJoin(clock, b, LAB), '192.168.1.42');
    await clock.tickAsync(100);
    b.events.length = 0;
  }

  const states = () => b.events.map((e) => e[0]);
  const steps = () => b.events.filter((e) => e[0] === 'recovering').map((e) => e[1].step);

  it('access point away for a moment: lost, then the module rejoins by itself; nothing is sent', async () => {
    await up();
    const from = b.trace.length;
    b.sim.network.takeDown('SPWF-Lab');
    await clock.tickAsync(5000);
    assert.deepEqual(b.events.slice(0, 2), [['lost', { cause: 'network-lost' }], ['recovering', { step: 'wait', attempt: 1, delayMs: 0 }]]);
    assert.equal(b.link.ip, '');
    b.sim.network.bringBack('SPWF-Lab');
    await until(clock, () => b.link.state === 'up', 10000);
    assert.deepEqual(states(), ['lost', 'recovering', 'up']);
    assert.deepEqual(b.sent(from), []);
    assert.equal(b.link.ip, '192.168.1.42');
  });

  it('access point away for long: wait, rejoin, AT+S.RESET, reset pin, wait… with growing, bounded waits', async () => {
    await up();
    const from = b.trace.length;
    const pulses = b.pulses;
    b.sim.network.takeDown('SPWF-Lab');
    await clock.tickAsync(12 * 60000);
    const rec = b.events.filter((e) => e[0] === 'recovering').map((e) => e[1]);
    assert.deepEqual(rec.slice(0, 7).map((r) => r.step), ['wait', 'rejoin', 'soft-reset', 'hard-reset', 'wait', 'rejoin', 'soft-reset']);
    rec.forEach((r, i) => {
      assert.equal(r.attempt, i + 1);
      const d = r.attempt === 1 ? 0 : Math.min(CAP, BASE * Math.pow(2, r.attempt - 2));
      assert.ok(r.delayMs >= Math.floor(d * (1 - JITTER)) && r.delayMs <= d, JSON.stringify(r));
    });
    const sent = b.sent(from).filter((l) => /WIFI=|RESET/.test(l));
    assert.deepEqual(sent.slice(0, 4), ['AT+S.WIFI=0', 'AT+S.WIFI=1', 'AT+S.RESET', 'AT+S.WIFI=0']);
    const hard = rec.filter((r) => r.step === 'hard-reset').length;
    assert.ok(b.pulses - pulses >= hard - 1 && b.pulses - pulses <= hard, 'one pulse per hard-reset step');
    // Never spins: a handful of attempts in 12 minutes.
    assert.ok(rec.length <= 10, String(rec.length));
    b.sim.network.bringBack('SPWF-Lab');
    await until(clock, () => b.link.state === 'up', 10 * 60000, 1000);
    assert.equal(b.link.state, 'up');
  });

  it('deauthentication: lost, and up again when the module rejoins', async () => {
    await up();
    b.sim.network.deauthenticate('SPWF-Lab', 8);
    await clock.tickAsync(10);
    await until(clock, () => b.link.state === 'up', 10000);
    assert.deepEqual(b.events[0], ['lost', { cause: 'deauthenticated' }]);
    assert.equal(b.link.state, 'up');
  });

  it('hard fault: the reset pin at once, the module re-initialised (echo off), up again', async () => {
    await up();
    const from = b.trace.length;
    const pulses = b.pulses;
    b.sim.hardFault();
    await clock.tickAsync(10);
    await until(clock, () => b.link.state === 'up', 10000);
    assert.deepEqual(b.events.slice(0, 2), [['lost', { cause: 'hard-fault' }], ['recovering', { step: 'hard-reset', attempt: 1, delayMs: 0 }]]);
    assert.equal(b.pulses, pulses + 1);
    assert.ok(b.sent(from).includes('AT+S.SCFG=console_echo,0'), 're-initialised after the restart');
    assert.equal(b.link.state, 'up');
  });

  it('hard fault with a reset pin that does nothing (IDW04A1): marked unusable, AT+S.RESET instead, up after the watchdog', async () => {
    await up({ pin: 'broken' });
    b.sim.hardFault();
    await clock.tickAsync(10);
    await until(clock, () => b.link.state === 'up', 120000);
    assert.equal(b.link.state, 'up');
    assert.ok(b.logs.some((l) => /reset pin did not restart the module/.test(l.message)));
    assert.ok(b.trace.some((l) => l === '> AT+S.RESET'), 'the software reset was tried');
    // The next fault goes straight to AT+S.RESET: the pin is not touched again.
    const pulses = b.pulses;
    b.events.length = 0;
    b.sim.hardFault('again', 500);
    await clock.tickAsync(10);
    await until(clock, () => b.link.state === 'up', 120000);
    assert.equal(steps()[0], 'soft-reset');
    assert.equal(b.pulses, pulses);
    assert.equal(b.link.state, 'up');
  });

  it('without a reset pin, every reset step is AT+S.RESET', async () => {
    await up({ pin: 'none' });
    b.sim.network.takeDown('SPWF-Lab');
    await clock.tickAsync(5 * 60000);
    assert.deepEqual(steps().slice(0, 5), ['wait', 'rejoin', 'soft-reset', 'soft-reset', 'wait']);
    b.sim.network.bringBack('SPWF-Lab');
    await until(clock, () => b.link.state === 'up', 10 * 60000, 1000);
    assert.equal(b.link.state, 'up');
  });

  it('a watchdog restart (unexpected Poweron): re-initialised, up again from the saved settings', async () => {
    await up();
    b.sim.hardReset(); // as if the module's watchdog restarted it
    await until(clock, () => b.events.length > 0 && b.link.state === 'up', 10000);
    assert.deepEqual(b.events[0], ['lost', { cause: 'module-restarted' }]);
    assert.equal(b.events[1][1].step, 'wait', 'no reset: it just restarted');
    assert.equal(b.link.state, 'up');
  });

  it('a console that stops answering: the reset pin, and up again', async () => {
    await up();
    b.sim.faults.silence();
    run(b.conn.engine, () => at.sts('wifi_state')).catch(() => undefined); // something the console must answer
    await until(clock, () => states().includes('recovering'), 30000);
    assert.deepEqual(b.events[0], ['lost', { cause: 'module-not-answering' }]);
    assert.equal(b.events[1][1].step, 'hard-reset');
    b.sim.faults.silence(false);
    await until(clock, () => b.link.state === 'up' && b.conn.engine.state === 'ready', 60000);
    assert.equal(b.link.state, 'up');
    assert.equal(b.conn.engine.state, 'ready');
  });

  it('a silent console without a reset pin: AT+S.RESET fails at once, retried after backoff, never spinning', async () => {
    await up({ pin: 'none' });
    b.sim.faults.silence();
    run(b.conn.engine, () => at.sts('wifi_state')).catch(() => undefined);
    await clock.tickAsync(10 * 60000);
    const rec = b.events.filter((e) => e[0] === 'recovering');
    assert.ok(rec.length >= 3 && rec.length <= 10, String(rec.length));
    assert.ok(rec.every((e) => e[1].step === 'soft-reset'));
    assert.ok(b.logs.some((l) => /soft-reset failed: module not answering/.test(l.message)));
    b.sim.faults.silence(false);
    await until(clock, () => b.link.state === 'up' && b.conn.engine.state === 'ready', 10 * 60000, 1000);
    assert.equal(b.link.state, 'up');
  });

  it('recovery suspended (the firmware updater\'s hand-off): a loss is held — no event, no command — and reported at the resume', async () => {
    await up();
    const from = b.trace.length;
    suspendRecovery(b.link, 'test');
    assert.equal(b.link.recoverySuspended, 'test');
    b.sim.network.takeDown('SPWF-Lab');
    await clock.tickAsync(3 * 60000); // far beyond the wait for the module's own rejoin
    assert.deepEqual(b.events, [], 'nothing reported');
    assert.deepEqual(b.sent(from), [], 'no recovery command');
    assert.equal(b.link.ip, '', 'the address is gone');
    resumeRecovery(b.link);
    assert.equal(b.link.recoverySuspended, '');
    assert.deepEqual(b.events, [['lost', { cause: 'network-lost' }], ['recovering', { step: 'wait', attempt: 1, delayMs: 0 }]]);
    b.sim.network.bringBack('SPWF-Lab');
    await until(clock, () => b.link.state === 'up', 10000);
    assert.deepEqual(states(), ['lost', 'recovering', 'up']);
  });

  it('a restart while suspended (an update\'s install): joining at the resume; no WiFi Up within ownRejoinMs → lost, recovery from the rejoin step', async () => {
    await up();
    const from = b.trace.length;
    suspendRecovery(b.link, 'firmware update');
    b.sim.network.takeDown('SPWF-Lab'); // the module will not find its network after the restart
    b.sim.hardReset();
    await until(clock, () => b.sent(from).includes('AT+S.SCFG=console_echo,0'), 5000, 10);
    await clock.tickAsync(100);
    assert.deepEqual(b.events, [], 'the restart is not reported while suspended');
    resumeRecovery(b.link);
    assert.deepEqual(b.events, [['joining', { ssid: 'SPWF-Lab', security: 'wpa2-psk', after: 'firmware update' }]]);
    await clock.tickAsync(30000 - 200);
    assert.deepEqual(states(), ['joining'], 'the module is given the usual time to rejoin by itself');
    assert.deepEqual(b.sent(from), ['AT+S.SCFG=console_echo,0'], 'only the re-initialisation after the restart');
    await clock.tickAsync(400);
    assert.deepEqual(b.events.slice(1, 2), [['lost', { cause: 'module-restarted' }]]);
    const event = (i: number): [string, any] => b.events[i]!; // (not narrowed by the assertions above)
    const [kind, rec] = event(2);
    assert.equal(kind, 'recovering');
    assert.equal(rec.step, 'rejoin', 'the wait for the own rejoin is done: the next step');
    assert.equal(rec.attempt, 2);
    await until(clock, () => b.sent(from).includes('AT+S.WIFI=0'), rec.delayMs + 1000);
    assert.deepEqual(b.sent(from).slice(1, 3), ['AT+S.WIFI=0', 'AT+S.WIFI=1'], 'the rejoin step ran, after its backoff');
    b.sim.network.bringBack('SPWF-Lab');
    await until(clock, () => b.link.state === 'up', 2 * 60000);
    assert.equal(b.link.state, 'up');
  });

  it('a restart while suspended, the module rejoining: joining at the resume, then up; nothing but echo off is sent', async () => {
    await up();
    const from = b.trace.length;
    suspendRecovery(b.link, 'firmware update');
    b.sim.hardReset();
    await until(clock, () => b.sent(from).includes('AT+S.SCFG=console_echo,0'), 5000, 10);
    resumeRecovery(b.link);
    await until(clock, () => b.link.state === 'up', 10000);
    assert.deepEqual(states(), ['joining', 'up']);
    assert.equal(b.link.ip, '192.168.1.42');
    assert.deepEqual(b.sent(from), ['AT+S.SCFG=console_echo,0']);
    await clock.tickAsync(60000);
    assert.deepEqual(states(), ['joining', 'up'], 'no late recovery');
  });

  it('leave() stops keeping the link: radio off, no recovery', async () => {
    await up();
    await Promise.all([b.link.leave(), clock.tickAsync(100)]);
    assert.deepEqual(states(), ['down']);
    b.sim.network.takeDown('SPWF-Lab');
    await clock.tickAsync(10 * 60000);
    assert.deepEqual(states(), ['down']);
    assert.equal(clock.countTimers(), 0, 'nothing left running, on either side');
  });
});
