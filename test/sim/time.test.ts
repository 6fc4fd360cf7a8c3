import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { FakeClockBench, lines } from './helpers';

// AT+S.TIME and AT+S.NTP: the module clock starts at 1970 at every boot and runs with the timers.

describe('sim: clock (TIME, NTP)', () => {
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

  const query = () => bench.command('AT+S.TIME');

  it('reads 1970-01-01 after power-on as AT-S.Date:YY.MM.DD and AT-S.Time:hh.mm.ss, and runs with the timers', async () => {
    await bench.boot({ timing: { bootMs: 0, hardwareStartMs: 1e9 } }, 5000);
    assert.equal(await query(), lines('AT+S.TIME', 'AT-S.Date:70.01.01', 'AT-S.Time:00.00.05', 'AT-S.OK'));
    await clock.tickAsync(3_661_000 - 5100);
    assert.equal(await query(), lines('AT+S.TIME', 'AT-S.Date:70.01.01', 'AT-S.Time:01.01.01', 'AT-S.OK'));
  });

  it('is set in seconds since 1970 and keeps running from there', async () => {
    await bench.boot();
    assert.equal(await bench.command('AT+S.TIME=1718454896'), lines('AT+S.TIME=1718454896', 'AT-S.OK')); // 2024-06-15 12:34:56 UTC
    assert.equal(await query(), lines('AT+S.TIME', 'AT-S.Date:24.06.15', 'AT-S.Time:12.34.56', 'AT-S.OK'));
    await clock.tickAsync(10_000);
    assert.ok((await query()).includes('AT-S.Time:12.35.06\r\n'));
    assert.equal(bench.sim.clockSeconds, 1718454896 + 10);
  });

  it('goes back to 1970 at every reset', async () => {
    await bench.boot({ timing: { bootMs: 0 } });
    await bench.command('AT+S.TIME=1718454896');
    bench.sim.hardReset();
    await clock.tickAsync(100);
    assert.equal(bench.sim.clockSeconds, 0);
    await bench.command('AT+S.TIME=1718454896');
    await bench.command('AT+S.RESET', '', 1000);
    assert.equal(bench.sim.clockSeconds, 0);
  });

  it('refuses a bad argument: 7 for a non-number, 66 past the 32-bit range, 2 when empty', async () => {
    await bench.boot();
    assert.equal(await bench.command('AT+S.TIME=yesterday'), lines('AT+S.TIME=yesterday', 'AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await bench.command('AT+S.TIME=-5'), lines('AT+S.TIME=-5', 'AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await bench.command('AT+S.TIME=4294967296'), lines('AT+S.TIME=4294967296', 'AT-S.ERROR:66:Cannot update DateTime'));
    assert.equal(await bench.command('AT+S.TIME='), lines('AT+S.TIME=', 'AT-S.ERROR:2:Missing argument(s)'));
    assert.equal(await bench.command('AT+S.TIME=1,2'), lines('AT+S.TIME=1,2', 'AT-S.ERROR:6:Too many argument(s)'));
    assert.equal(await bench.command('AT+S.TIME=4294967295'), lines('AT+S.TIME=4294967295', 'AT-S.OK'));
    assert.ok((await query()).includes('AT-S.Date:06.02.07\r\nAT-S.Time:06.28.15\r\n'), '2106-02-07 06:28:15');
  });

  it('accepts AT+S.NTP without touching the clock; setClock() stands in for a sync', async () => {
    await bench.boot();
    const before = bench.sim.clockSeconds;
    assert.equal(await bench.command('AT+S.NTP'), lines('AT+S.NTP', 'AT-S.OK'));
    assert.equal(bench.sim.clockSeconds, before);
    bench.sim.setClock(946684800); // 2000-01-01
    assert.equal(await query(), lines('AT+S.TIME', 'AT-S.Date:00.01.01', 'AT-S.Time:00.00.00', 'AT-S.OK'));
  });
});
