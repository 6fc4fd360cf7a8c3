import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { createConnectivity, Connectivity } from '../src/index';
import { createNodeHost } from '../hosts/node/host';
import { SimModule } from '../hosts/sim/module';
import { INSTANT, LAB_STATION } from './sim/helpers';

// The clock gate against the simulated module: after WiFi Up its clock reads 1970 until its NTP client
// answers (timing.ntpMs later); a TLS open waits for that, and fails with TimeNotSet when NTP never answers.
// (TLS sockets themselves are another issue's work: whatever the module answers to SOCKON, the point
// here is that SOCKON is sent only after the clock became good.)

describe('clock gate with the simulated module (NTP after WiFi Up)', () => {
  let clock: sinon.SinonFakeTimers;
  let sim: SimModule;
  let conn: Connectivity;
  let trace: string[];

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.UTC(2026, 11, 1, 8, 0, 0) });
  });
  afterEach(() => {
    conn.stop();
    sim.close();
    clock.restore();
  });

  async function joined(ntpAnswers: boolean): Promise<void> {
    sim = new SimModule({ timing: { ...INSTANT, ntpMs: 4000 }, saved: LAB_STATION, ntp: { answers: ntpAnswers } });
    const host = createNodeHost({ write: (x) => sim.write(x), onData: (cb) => sim.onOutput(cb) }, {
      setReset: (asserted) => { if (!asserted) sim.hardReset(); },
    });
    trace = [];
    conn = createConnectivity(host, { trace: (dir, text) => trace.push(dir + ' ' + text), clock: { waitMs: 30000, pollMs: 5000 } });
    const started = conn.start();
    for (let i = 0; i < 100 && conn.link.state !== 'up'; i++) await clock.tickAsync(10);
    await started;
    assert.equal(conn.link.state, 'up');
  }

  async function settle<T>(p: Promise<T>, ms: number): Promise<T> {
    let done = false;
    const r = p.then((v) => { done = true; return v; }, (e) => { done = true; throw e; });
    for (let t = 0; t < ms && !done; t += 100) await clock.tickAsync(100);
    assert.ok(done);
    return r;
  }

  const index = (re: RegExp) => trace.findIndex((l) => re.test(l));

  it('sends SOCKON only once the module\'s NTP has set its clock', async () => {
    await joined(true);
    const outcome = await settle(conn.open('server.example', 443, 's').then(() => 'opened', (e) => e), 20000);
    assert.notEqual(outcome.code, 'TimeNotSet');
    assert.equal(conn.clock.state, 'good');
    const ntp = index(/^< \+WIND:84:NTP Server delivery:26\.12\.01:/);
    const sockon = index(/^> AT\+S\.SOCKON=server\.example,443,,s$/);
    assert.ok(ntp > 0 && sockon > ntp, trace.join('\n'));
    assert.ok(index(/^> AT\+S\.TIME$/) < ntp, 'asked before NTP came, and waited');
  });

  it('fails with TimeNotSet, without sending SOCKON, when NTP never answers', async () => {
    await joined(false);
    const err = await settle(conn.open('server.example', 443, 's').then(() => undefined, (e) => e), 40000);
    assert.equal(err.code, 'TimeNotSet');
    assert.equal(index(/SOCKON/), -1);
    assert.ok(sim.clockSeconds < 100);
  });
});
