import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import * as v8 from 'v8';
import * as vm from 'vm';
import { SeededRandom } from '../../hosts/sim/prng';
import { run } from '../../src/at/run';
import * as at from '../../src/at/commands';
import { bench, Bench, LAB, startAndJoin, until } from './helpers';
import { engineBusy, engineQueued, listenerCount } from '../helpers/introspect';

// A simulated day: the link drops every 2 to 6 minutes (the access point away for seconds or minutes,
// deauthentications, lost links, hard faults, watchdog restarts, a console that stops answering), all on
// sinon fake timers. At the end the link is up, and between hour 1 and hour 24 nothing has grown: the
// listeners (Emitter.listenerCount), the engine's handlers and queue, the pending timers (on both sides of
// the UART) and the JavaScript heap after a full garbage collection.

v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');

const MIN = 60000;
const HOUR = 60 * MIN;

interface Snapshot {
  linkListeners: number;
  connListeners: number;
  windHandlers: number;
  stateHandlers: number;
  queued: number;
  timers: number;
  heap: number;
}

describe('wifi: a 24-hour run with a link drop every few minutes', function () {
  this.timeout(600000);
  let clock: sinon.SinonFakeTimers;
  let b: Bench;

  afterEach(() => { b.close(); clock.restore(); });

  it('ends with the link up and no growth in memory, listeners, handlers, queue or timers', async () => {
    clock = sinon.useFakeTimers();
    b = bench({ keep: 200, seed: 11 });
    assert.equal(await startAndJoin(clock, b, LAB), '192.168.1.42');
    const rng = new SeededRandom(2024);
    const counts: { [fault: string]: number } = {};
    let recoveries = 0;
    b.link.on('recovering', () => { recoveries++; });
    let ups = 0;
    b.link.on('up', () => { ups++; });

    function snapshot(): Snapshot {
      const e = b.conn.engine as any;
      gc();
      return {
        linkListeners: listenerCount(b.link),
        connListeners: listenerCount(b.conn),
        windHandlers: e.windHandlers.length,
        stateHandlers: e.stateHandlers.length,
        queued: engineQueued(b.conn.engine),
        timers: clock.countTimers(),
        heap: process.memoryUsage().heapUsed,
      };
    }

    const faults: (() => Promise<void>)[] = [
      async () => { // the access point away for seconds
        b.sim.network.takeDown('SPWF-Lab');
        await clock.tickAsync(rng.int(5000, 60000));
        b.sim.network.bringBack('SPWF-Lab');
      },
      async () => { // away for minutes: the recovery escalates
        b.sim.network.takeDown('SPWF-Lab');
        await clock.tickAsync(rng.int(2 * MIN, 5 * MIN));
        b.sim.network.bringBack('SPWF-Lab');
      },
      async () => { b.sim.network.deauthenticate('SPWF-Lab', rng.int(1, 9)); },
      async () => { b.sim.loseLink(); },
      async () => { b.sim.hardFault('soak', 20000); },
      async () => { b.sim.hardReset(); }, // a watchdog restart
      async () => { // the console stops answering for a while
        b.sim.faults.silence();
        run(b.conn.engine, () => at.sts('wifi_state')).catch(() => undefined);
        await clock.tickAsync(rng.int(15000, 45000));
        b.sim.faults.silence(false);
      },
    ];
    const names = ['ap-away-seconds', 'ap-away-minutes', 'deauth', 'link-lost', 'hard-fault', 'watchdog', 'silence'];

    let first: Snapshot | undefined;
    while (Date.now() < 24 * HOUR) {
      await clock.tickAsync(rng.int(2 * MIN, 6 * MIN));
      // Measure in a quiet moment: link up, the engine idle.
      await until(clock, () => b.link.state === 'up' && b.conn.engine.state === 'ready' && !engineBusy(b.conn.engine), 30 * MIN, 1000);
      assert.equal(b.link.state, 'up', 'up again after ' + JSON.stringify(counts) + '\n' + b.trace.slice(-40).join('\n'));
      if (!first && Date.now() >= HOUR) first = snapshot();
      const i = rng.int(0, faults.length - 1);
      counts[names[i]] = (counts[names[i]] || 0) + 1;
      await faults[i]();
    }
    // The last drop's aftermath, then a quiet moment as at hour 1.
    await clock.tickAsync(6 * MIN);
    await until(clock, () => b.link.state === 'up' && b.conn.engine.state === 'ready' && !engineBusy(b.conn.engine), 30 * MIN, 1000);
    const last = snapshot();
    const total = Object.keys(counts).reduce((n, k) => n + counts[k], 0);
    console.log('      ' + total + ' drops ' + JSON.stringify(counts) + ', ' + recoveries + ' recovery steps, ' + ups + ' times up; hour 1: ' +
      JSON.stringify(first) + '; hour 24: ' + JSON.stringify(last));

    assert.equal(b.link.state, 'up');
    assert.ok(total >= 24 * 60 / 6, 'a drop every few minutes');
    assert.ok(names.every((n) => counts[n] > 0), 'every kind of fault happened');
    assert.ok(ups >= total, 'up again after every drop');
    assert.ok(recoveries < total * 4, 'recovery never spins: ' + recoveries + ' steps for ' + total + ' drops');
    const f = first!;
    assert.equal(last.linkListeners, f.linkListeners);
    assert.equal(last.connListeners, f.connListeners);
    assert.equal(last.windHandlers, f.windHandlers);
    assert.equal(last.stateHandlers, f.stateHandlers);
    assert.equal(last.queued, 0);
    assert.ok(last.timers <= f.timers, 'pending timers: ' + f.timers + ' -> ' + last.timers);
    // A day of faults leaves the heap where hour 1 had it (allowing for V8's own noise).
    assert.ok(last.heap - f.heap < 2 * 1024 * 1024, 'heap grew by ' + (last.heap - f.heap) + ' bytes');
  });
});
