import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { decodeWind } from '../../src/at/wind';
import { FakeClockBench, LAB_STATION } from './helpers';

// The module's NTP client: the clock is set from the desktop's time timing.ntpMs after WiFi Up, announced
// by +WIND:84 in the layout src/at/wind.ts decodes; an NTP server that never answers leaves it at 1970.

const NOW = Date.UTC(2026, 10, 30, 5, 0, 0); // a Monday
const TIMING = { ntpMs: 700 };

describe('sim: NTP after WiFi Up', () => {
  let clock: sinon.SinonFakeTimers;
  let bench: FakeClockBench;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    bench.close();
    clock.restore();
  });

  /** Boot into the lab network and return the output up to and including the IPv6 WiFi Up. */
  async function bootJoined(opts: Parameters<FakeClockBench['boot']>[0] = {}): Promise<string> {
    bench = new FakeClockBench(clock);
    const out = await bench.boot({ saved: LAB_STATION, timing: TIMING, ...opts }, 1200);
    assert.ok(out.includes('+WIND:24:WiFi Up::'), out);
    return out;
  }

  it('sets the clock to the desktop time ntpMs after WiFi Up and prints +WIND:84:NTP Server delivery:<YY.MM.DD>:<n>:<hh.mm.ss>', async () => {
    const out = await bootJoined();
    assert.ok(!out.includes('+WIND:84'), 'not before ntpMs');
    assert.equal(bench.sim.clockSeconds < 1000, true);
    const later = await bench.tick(1000);
    const m = /\+WIND:84:NTP Server delivery:[^\r]*/.exec(later);
    assert.ok(m, later);
    const ev = decodeWind(m[0])!;
    assert.equal(ev.kind, 'NtpDelivery');
    const clockNow = bench.sim.clockSeconds;
    assert.ok(ev.seconds! <= clockNow && clockNow - ev.seconds! <= 1, 'the decoder reads the time the module was set to');
    assert.ok(Math.abs(clockNow - Math.floor(Date.now() / 1000)) <= 1, 'the desktop time');
    assert.match(m[0], /^\+WIND:84:NTP Server delivery:26\.11\.30:1:05\.00\.0\d$/);
    await bench.command('AT+S.SCFG=console_echo,0');
    assert.match(await bench.command('AT+S.TIME'), /^AT-S\.Date:26\.11\.30\r\nAT-S\.Time:05\.00\.0\d\r\nAT-S\.OK\r\n$/);
  });

  it('never answers when told so (option or at run time): no +WIND:84, the clock stays at 1970', async () => {
    await bootJoined({ ntp: { answers: false } });
    assert.ok(!(await bench.tick(60000)).includes('+WIND:84'));
    assert.ok(bench.sim.clockSeconds < 100);
    bench.close();

    await bootJoined();
    bench.sim.ntp.answers = false;
    assert.ok(!(await bench.tick(60000)).includes('+WIND:84'));
    bench.sim.ntp.answers = true;
    assert.ok(!(await bench.tick(60000)).includes('+WIND:84'), 'asked once per link-up');
  });

  it('asks again after every WiFi Up; a reset or WIFI=0 before the answer drops it', async () => {
    await bootJoined();
    bench.sim.hardReset();
    assert.ok(!(await bench.tick(600)).includes('+WIND:84'), 'the reset cancelled it');
    const again = await bench.tick(3000);
    assert.ok(again.includes('+WIND:24:WiFi Up:0:'), again);
    assert.match(again, /\+WIND:84:NTP Server delivery:26\.11\.30:/);

    await bench.command('AT+S.SCFG=console_echo,0');
    const bootOut = await bench.command('AT+S.RESET', '', 1200);
    assert.ok(bootOut.includes('+WIND:24:WiFi Up:0:'));
    await bench.command('AT+S.SCFG=console_echo,0');
    await bench.command('AT+S.WIFI=0');
    assert.ok(!(await bench.tick(5000)).includes('+WIND:84'), 'the link went down first');
    assert.ok(bench.sim.clockSeconds < 100);
  });

  it('obeys the WIND mask (console_wind_off_high bit 20) but still sets the clock', async () => {
    await bootJoined({ saved: { ...LAB_STATION, config: { ...LAB_STATION.config, console_wind_off_high: '0x00100000' } } });
    assert.ok(!(await bench.tick(1000)).includes('+WIND:84'));
    assert.ok(bench.sim.clockSeconds > 1_700_000_000);
  });
});
