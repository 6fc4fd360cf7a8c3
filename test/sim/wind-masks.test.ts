import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { FakeClockBench, lines } from './helpers';

// console_wind_off_low/medium/high: bit k of low masks WIND k, of medium WIND 32+k, of high WIND 64+k.
// The injected-indication fault obeys the masks, so it can probe any WIND number.

describe('sim: WIND masks', () => {
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

  /** Whether +WIND:<num> gets through the current masks. */
  async function shows(num: number): Promise<boolean> {
    bench.sim.faults.windInNextResponse(num);
    const out = await bench.command('AT');
    return out.includes(`+WIND:${num}:`);
  }

  it('map each bit of the three words to one WIND number, at the word edges too', async () => {
    await bench.boot();
    await bench.command('AT+S.SCFG=console_echo,0');
    await bench.command('AT+S.SCFG=console_wind_off_low,0x80000001'); // WIND 0 and 31
    await bench.command('AT+S.SCFG=console_wind_off_medium,0x80000001'); // WIND 32 and 63
    await bench.command('AT+S.SCFG=console_wind_off_high,0x80100001'); // WIND 64, 84 and 95
    for (const masked of [0, 31, 32, 63, 64, 84, 95]) assert.equal(await shows(masked), false, `WIND ${masked} masked`);
    for (const open of [1, 30, 33, 62, 65, 83, 94]) assert.equal(await shows(open), true, `WIND ${open} not masked`);
  });

  it('apply from boot when saved, so masked boot lines never appear', async () => {
    const out = await bench.boot({ saved: { config: { console_wind_off_low: '0x00002008', console_wind_off_medium: '0x00000001' } } });
    assert.equal(out, lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
  });

  it('take effect at once and can be lifted', async () => {
    await bench.boot({ timing: { radioOffMs: 0, radioOnMs: 0 } });
    await bench.command('AT+S.SCFG=console_echo,0');
    await bench.command('AT+S.SCFG=console_wind_off_medium,0xFFFFFFFF');
    assert.equal(await bench.command('AT+S.WIFI=0'), lines('AT-S.OK'));
    await bench.command('AT+S.SCFG=console_wind_off_medium,0');
    assert.equal(await bench.command('AT+S.WIFI=1'), lines('AT-S.OK', '+WIND:32:WiFi Hardware Started'));
  });
});
