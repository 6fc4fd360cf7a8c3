import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { Engine } from '../src/at/engine';
import { ModuleClock, CLOCK_FLOOR_SECONDS } from '../src/time/module-clock';
import { scriptedHost, lines, ScriptedHost } from './helpers/scripted-host';
import { engineBusy } from './helpers/introspect';

/** The TIME query's answer for a given epoch second. */
function timeAnswer(sec: number): string {
  const d = new Date(sec * 1000);
  const p = (n: number) => (n < 10 ? '0' : '') + n;
  return lines('AT-S.Date:' + p(d.getUTCFullYear() % 100) + '.' + p(d.getUTCMonth() + 1) + '.' + p(d.getUTCDate()),
    'AT-S.Time:' + p(d.getUTCHours()) + '.' + p(d.getUTCMinutes()) + '.' + p(d.getUTCSeconds()), 'AT-S.OK');
}

const NOW = Date.UTC(2026, 10, 30, 5, 0, 0) / 1000;

describe('module clock gate', () => {
  let clock: sinon.SinonFakeTimers;
  let s: ScriptedHost;
  let engine: Engine;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: NOW * 1000 });
    s = scriptedHost();
    engine = new Engine(s.host);
    engine.start();
    s.feed(lines('+WIND:0:Console active'));
  });

  afterEach(() => {
    engine.stop();
    clock.restore();
  });

  async function answerTime(sec: number): Promise<void> {
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.TIME');
    s.feed(timeAnswer(sec));
    await clock.tickAsync(0);
  }

  it('passes at once when the module clock is above the floor', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log);
    const p = mc.ensureGood();
    await answerTime(NOW);
    await p;
    assert.equal(mc.state, 'good');
    assert.equal(mc.estimate(), NOW);
  });

  it('waits for NTP, and succeeds after it', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log, { waitMs: 30000, pollMs: 5000 });
    let done = false;
    const p = mc.ensureGood().then(() => { done = true; });
    await answerTime(12);
    assert.equal(mc.state, 'not-set');
    await clock.tickAsync(5000);
    await answerTime(17); // still 1970
    assert.equal(done, false);
    s.feed(lines('+WIND:84:NTP Server delivery:26.11.30:4:05.00.10'));
    await answerTime(NOW + 10);
    await p;
    assert.ok(done);
  });

  it('fails with TimeNotSet when NTP never comes', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log, { waitMs: 30000, pollMs: 5000 });
    const p = mc.ensureGood().catch((e) => e);
    await answerTime(3);
    for (let t = 0; t < 6; t++) {
      await clock.tickAsync(5000);
      if (s.lastLine() === 'AT+S.TIME' && engineBusy(engine)) s.feed(timeAnswer(3 + t));
    }
    const err = await p;
    assert.equal(err.code, 'TimeNotSet');
    assert.match(err.message, /NTP/);
    await clock.tickAsync(60000);
    assert.equal(engineBusy(engine), false, 'no polling left behind');
  });

  it('sets the clock from a trusted host clock', async () => {
    s.host.clock.wallSeconds = () => Math.floor(Date.now() / 1000);
    const mc = new ModuleClock(engine, s.host.clock, s.host.log, { trustHostClock: true });
    const p = mc.ensureGood();
    await answerTime(0);
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.TIME=' + NOW);
    s.feed(lines('AT-S.OK'));
    await answerTime(NOW);
    await p;
    assert.equal(mc.state, 'good');
  });

  it('forgets a good clock when the module restarts', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log);
    const p = mc.ensureGood();
    await answerTime(NOW);
    await p;
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
    assert.equal(mc.state, 'unknown');
  });

  it('carries the time across a module restart: restore() sets the module clock from the last good reading', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log, { recheckMs: 0 });
    const p = mc.ensureGood();
    await answerTime(NOW + 100); // the module runs 100 s ahead of the host
    await p;
    await clock.tickAsync(60000);
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
    assert.equal(mc.state, 'unknown');
    assert.equal(mc.estimate(), undefined);
    const r = mc.restore();
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.TIME=' + (NOW + 160), 'host time + the offset of the last good reading');
    s.feed(lines('AT-S.OK'));
    await answerTime(NOW + 160);
    assert.equal(await r, 'good');
  });

  it('restore() without a good reading: the trusted host clock, else not-set and nothing sent', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log);
    assert.equal(await mc.restore(), 'not-set');
    assert.equal(s.written.length, 0);
    s.host.clock.wallSeconds = () => Math.floor(Date.now() / 1000);
    const trusted = new ModuleClock(engine, s.host.clock, s.host.log, { trustHostClock: true });
    const r = trusted.restore();
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.TIME=' + NOW);
    s.feed(lines('AT-S.OK'));
    await answerTime(NOW);
    assert.equal(await r, 'good');
    s.host.clock.wallSeconds = () => 1000; // a host clock that was never set: below the floor
    const unset = new ModuleClock(engine, s.host.clock, s.host.log, { trustHostClock: true });
    const before = s.written.length;
    assert.equal(await unset.restore(), 'not-set');
    assert.equal(s.written.length, before);
  });

  it('reports a clock that jumps backwards at a re-check', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log, { recheckMs: 60000 });
    const jumps: number[] = [];
    mc.on('jump', (d) => jumps.push(d));
    const p = mc.ensureGood();
    await answerTime(NOW);
    await p;
    await clock.tickAsync(60000);
    await answerTime(NOW + 60 - 3600);
    assert.deepEqual(jumps, [3600]);
    mc.stop();
  });

  it('skips date checks only when told to, and says so in the log', async () => {
    const mc = new ModuleClock(engine, s.host.clock, s.host.log, { skipDateChecks: true });
    await mc.ensureGood();
    assert.equal(s.written.length, 0);
    assert.ok(s.logs.some((l) => l.level === 'warn' && /skipped/.test(l.message)));
  });

  it('has a floor no correct clock is below', () => {
    assert.ok(CLOCK_FLOOR_SECONDS <= NOW);
  });
});
