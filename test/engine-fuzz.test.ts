import { strict as assert } from 'assert';
import fc from 'fast-check';
import * as sinon from 'sinon';
import { Engine, Command } from '../src/at/engine';
import * as at from '../src/at/commands';
import { SimModule } from '../hosts/sim/module';
import { createNodeHost } from '../hosts/node/host';
import { LogLevel } from '../src/host';
import { framerPending } from './helpers/introspect';

// The engine against the simulated module, under random chunking and injected faults: no exception
// escapes, every command settles (a result or an error) in bounded time, no buffer passes its bound,
// and the engine always comes back to answering. FUZZ_CASES sets how many cases run (CI: 100000).
const CASES = parseInt(process.env.FUZZ_CASES || (process.env.CI ? '100000' : '3000'), 10);
const MAX_LINE = 1024;

const FAST = { bootMs: 1, hardwareStartMs: 1, resetMs: 1, scanMs: 1, joinMs: 1, associationMs: 1, handshakeMs: 1,
  dhcpMs: 1, ipv6Ms: 1, scanRetryMs: 50, joinRetryMs: 50, radioOffMs: 1, radioOnMs: 1 };

/** Commands that need no network: what a driver sends while configuring and polling. */
const POOL: (() => Command)[] = [
  () => at.at(),
  () => at.gcfg('wifi_mode'),
  () => at.gcfg('console_echo'),
  () => at.sts('free_heap'),
  () => at.scfg('blink_led', 0),
  () => at.time(),
  () => at.fsList(),
  () => at.sockq(3), // no such socket: an error answer
  () => at.sockl(),
  () => at.fsCreate('fuzz.txt', 'a\r\nAT-S.OK\r\n+WIND:55:x\r\n'),
  () => at.fsPrint('fuzz.txt', 0, 8),
  () => ({ line: 'AT+S.NOSUCH', timeoutMs: 2000 }),
];

type Fault =
  | { kind: 'none' }
  | { kind: 'bytes'; drop: number; duplicate: number; corrupt: number }
  | { kind: 'wind' }
  | { kind: 'reset' }
  | { kind: 'late'; ms: number }
  | { kind: 'silence'; ms: number }
  | { kind: 'delay'; ms: number };

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'none' }),
  fc.record({ kind: fc.constant('bytes' as const), drop: fc.double({ min: 0, max: 0.02, noNaN: true }),
    duplicate: fc.double({ min: 0, max: 0.02, noNaN: true }), corrupt: fc.double({ min: 0, max: 0.02, noNaN: true }) }),
  fc.constant<Fault>({ kind: 'wind' }),
  fc.constant<Fault>({ kind: 'reset' }),
  fc.record({ kind: fc.constant('late' as const), ms: fc.integer({ min: 0, max: 20000 }) }),
  fc.record({ kind: fc.constant('silence' as const), ms: fc.integer({ min: 0, max: 20000 }) }),
  fc.record({ kind: fc.constant('delay' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
);

describe('engine fuzzed against the simulator (' + CASES + ' cases)', function () {
  this.timeout(0);

  it('settles every command, keeps its bounds and always comes back', () => {
    const clock = sinon.useFakeTimers();
    const errors: string[] = [];
    const sim = new SimModule({ chunkSize: 64, timing: FAST, faultSeed: 7 });
    const host = createNodeHost({ write: (b) => sim.write(b), onData: (cb) => sim.onOutput(cb) }, {
      log: (level: LogLevel, msg: string) => { if (level === 'error' && !/not answering/.test(msg)) errors.push(msg); },
    });
    const engine = new Engine(host, { maxLine: MAX_LINE, maxQueue: 8 });
    engine.start();
    sim.powerOn();
    clock.tick(100);
    assert.equal(engine.state, 'ready');
    let maxPending = 0;
    // The last lines exchanged, shown when a case fails.
    const recent: string[] = [];
    engine.trace = (d, t) => {
      recent.push(clock.now + ' ' + d + ' ' + JSON.stringify(t));
      if (recent.length > (process.env.FUZZ_TRACE ? 2000 : 80)) recent.shift();
    };

    /** Advance fake time in steps until `done` or the bound; tracks the framer's high-water mark. */
    function runUntil(done: () => boolean, boundMs: number): boolean {
      for (let t = 0; t < boundMs && !done(); t += 50) {
        clock.tick(50);
        maxPending = Math.max(maxPending, framerPending(engine.framer));
      }
      return done();
    }

    try {
      fc.assert(fc.property(
        fc.integer({ min: 1, max: 80 }),
        faultArb,
        fc.array(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        (chunk, fault, picks, seed) => {
          sim.faults.clear();
          sim.faults.reseed(seed);
          sim.faults.setChunkSize(chunk);
          switch (fault.kind) {
            case 'bytes': sim.faults.setByteErrorRates(fault); break;
            case 'wind': sim.faults.windInNextResponse(); break;
            case 'reset': sim.faults.resetInNextCommand(); break;
            case 'late': sim.faults.answerNextLate(fault.ms); break;
            case 'silence': sim.faults.silence(true); setTimeout(() => sim.faults.silence(false), fault.ms); break;
            case 'delay': sim.faults.delayLines(fault.ms); break;
          }
          const settled: boolean[] = picks.map(() => false);
          let budget = 0;
          picks.forEach((p, i) => {
            const c = POOL[p]();
            budget += c.timeoutMs;
            engine.send(c, () => { settled[i] = true; });
          });
          // Each command settles within its own timeout once it is on the wire; a resync after it costs
          // at most the probe waits (1 + 2 + 4 + 8 s), and a silence or delay its own length.
          const extra = (fault.kind === 'silence' || fault.kind === 'delay' || fault.kind === 'late' ? fault.ms : 0);
          const ok = runUntil(() => settled.every(Boolean), budget + picks.length * 15000 + extra);
          assert.ok(ok, 'commands did not settle: ' + JSON.stringify(settled) + ' fault ' + JSON.stringify(fault) + '\n' + recent.join('\n'));
          // Faults off: the engine must come back and answer again. While it is still resynchronising it
          // may fail fast ('module not answering'); it is asked again until the bound.
          sim.faults.clear();
          const outcomes: string[] = [];
          let answered = false;
          let waiting = false;
          const start = clock.now;
          runUntil(() => {
            if (answered) return true;
            if (!waiting) {
              waiting = true;
              engine.send(at.at(), (err) => {
                waiting = false;
                answered = !err;
                if (err) outcomes.push((clock.now - start) + 'ms ' + err.code + ' ' + err.message);
              });
            }
            return answered;
          }, 60000);
          assert.ok(answered, 'the engine did not come back (' + engine.state + '; module ' + sim.powerState +
            (sim.faults.silenced ? ', silenced' : '') + ', backlog ' + sim.outputBacklog + ') ' + outcomes.slice(-5).join('; ') + '\n' + recent.join('\n'));
          assert.ok(maxPending <= MAX_LINE, 'framer held ' + maxPending + ' bytes');
          assert.deepEqual(errors, []);
        },
      ), { numRuns: CASES, seed: process.env.FUZZ_SEED ? parseInt(process.env.FUZZ_SEED, 10) : undefined });
    } finally {
      engine.stop();
      sim.close();
      clock.restore();
    }
  });
});
