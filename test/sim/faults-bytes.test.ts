import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { FakeClockBench, lines } from './helpers';

// Faults on the module's TX line: damaged bytes, the chunk size, a delay. Fake timers throughout.

describe('sim faults: the TX line', () => {
  let clock: sinon.SinonFakeTimers;
  let bench: FakeClockBench;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    bench = new FakeClockBench(clock);
  });
  afterEach(() => {
    bench.close();
    clock.restore();
  });

  /** A booted module with echo off, so that answers are short and exact. */
  async function quiet(opts = {}): Promise<void> {
    await bench.boot(opts);
    await bench.command('AT+S.SCFG=console_echo,0');
  }

  it('drops the next N bytes, then delivers the rest untouched', async () => {
    await quiet();
    bench.sim.faults.dropNextBytes(3);
    assert.equal(await bench.command('AT'), 'S.OK\r\n');
    assert.equal(await bench.command('AT'), lines('AT-S.OK'));
  });

  it('duplicates the next N bytes', async () => {
    await quiet();
    bench.sim.faults.duplicateNextBytes(2);
    assert.equal(await bench.command('AT'), 'AATT-S.OK\r\n');
  });

  it('corrupts the next N bytes: same length, those bytes changed, the others intact', async () => {
    await quiet();
    bench.sim.faults.corruptNextBytes(4);
    const got = await bench.command('AT');
    const clean = lines('AT-S.OK');
    assert.equal(got.length, clean.length);
    for (let i = 0; i < 4; i++) assert.notEqual(got[i], clean[i]);
    assert.equal(got.substring(4), clean.substring(4));
  });

  it('counts bytes already queued: the damage starts with the next byte the host receives', async () => {
    await quiet();
    bench.sim.write('AT\r'); // answered and queued at once, delivered from a timer
    bench.sim.faults.dropNextBytes(5);
    assert.equal(await bench.tick(100), 'OK\r\n');
  });

  it('damages bytes at random rates, reproducibly from the seed', async () => {
    const run = async (seed: number) => {
      const b = new FakeClockBench(clock);
      await b.boot({ faultSeed: seed });
      b.sim.faults.setByteErrorRates({ drop: 0.05, duplicate: 0.05, corrupt: 0.05 });
      const out = await b.command('AT+S.GCFG', '', 2000);
      b.close();
      return out;
    };
    const clean = await bench.boot().then(() => bench.command('AT+S.GCFG', '', 2000));
    const a = await run(7);
    assert.equal(await run(7), a, 'same seed, same damage');
    assert.notEqual(a, clean);
    assert.notEqual(await run(8), a, 'another seed, other damage');
  });

  it('reseed() replays the same damage', async () => {
    await quiet();
    bench.sim.faults.setByteErrorRates({ corrupt: 0.5 });
    bench.sim.faults.reseed(42);
    const first = await bench.command('AT+S.GCFG=user_desc');
    bench.sim.faults.reseed(42);
    assert.equal(await bench.command('AT+S.GCFG=user_desc'), first);
    bench.sim.faults.setByteErrorRates({});
    assert.equal(await bench.command('AT+S.GCFG=user_desc'), lines('AT-S.Var:user_desc=anonymous', 'AT-S.OK'));
  });

  it('refuses rates outside 0..1 or adding up to more than 1, and negative counts', async () => {
    await bench.boot();
    const faults = bench.sim.faults;
    assert.throws(() => faults.setByteErrorRates({ drop: 1.5 }), RangeError);
    assert.throws(() => faults.setByteErrorRates({ drop: 0.6, corrupt: 0.6 }), RangeError);
    assert.throws(() => faults.dropNextBytes(-1), RangeError);
  });

  it('changes the output chunk size at run time, down to 1 byte', async () => {
    await quiet();
    bench.term.chunks.length = 0;
    bench.sim.faults.setChunkSize(1);
    assert.equal(await bench.command('AT+S.GCFG=user_desc'), lines('AT-S.Var:user_desc=anonymous', 'AT-S.OK'));
    assert.ok(bench.term.chunks.every((c) => c.length === 1));
    bench.term.chunks.length = 0;
    bench.sim.faults.setChunkSize(5);
    await bench.command('AT+S.GCFG=user_desc');
    assert.equal(Math.max(...bench.term.chunks.map((c) => c.length)), 5);
    assert.throws(() => bench.sim.faults.setChunkSize(0), RangeError);
    assert.throws(() => bench.sim.faults.setChunkSize(2.5), RangeError);
  });

  it('delays the module\'s lines by N ms, keeping their order', async () => {
    await quiet();
    bench.sim.faults.delayLines(500);
    bench.sim.write('AT\r');
    assert.equal(await bench.tick(499), '');
    assert.equal(await bench.tick(2), lines('AT-S.OK'));
    bench.sim.write('AT+S.GCFG=user_desc\r');
    await clock.tickAsync(100);
    bench.sim.faults.delayLines(0); // lines already held keep their place ahead of newer ones
    bench.sim.write('AT\r');
    assert.equal(await bench.tick(100), '');
    assert.equal(await bench.tick(400), lines('AT-S.Var:user_desc=anonymous', 'AT-S.OK', 'AT-S.OK'));
    assert.equal(await bench.command('AT'), lines('AT-S.OK'));
  });

  it('clear() turns every fault off', async () => {
    await quiet({ chunkSize: 8 });
    const faults = bench.sim.faults;
    faults.setByteErrorRates({ drop: 1 });
    faults.dropNextBytes(100);
    faults.setChunkSize(1);
    faults.delayLines(10_000);
    faults.silence();
    faults.resetInNextCommand();
    faults.windInNextResponse();
    faults.clear();
    bench.term.chunks.length = 0;
    assert.equal(await bench.command('AT+S.GCFG=user_desc'), lines('AT-S.Var:user_desc=anonymous', 'AT-S.OK'));
    assert.equal(Math.max(...bench.term.chunks.map((c) => c.length)), 8, 'back to the chunk size the module was built with');
  });
});
