import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { SimModule } from '../../hosts/sim/module';
import { LAB_STATION, LAB_JOIN_LOG, bootBanner, lines, Terminal } from './helpers';

// The boot log of AN §3.2.3, with the simulated firmware's Poweron and copyright texts (FW 1.1.0).
const BANNER = bootBanner();
const JOIN = LAB_JOIN_LOG;

describe('sim: boot', () => {
  let clock: sinon.SinonFakeTimers;
  let sim: SimModule;
  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => { sim.close(); clock.restore(); });

  it('prints nothing before power-on', async () => {
    sim = new SimModule();
    const term = new Terminal(sim);
    await clock.tickAsync(10_000);
    assert.equal(term.take(), '');
  });

  it('with factory settings stops after WiFi Hardware Started', async () => {
    sim = new SimModule();
    const term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(10_000);
    assert.equal(term.take(), BANNER);
  });

  it('with a stored station configuration prints the AN §3.2.3 log byte for byte', async () => {
    sim = new SimModule({ saved: LAB_STATION });
    const term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(10_000);
    assert.equal(term.take(), BANNER + JOIN);
    assert.equal(sim.wifiState, 10);
    assert.equal(sim.ipv4, '192.168.1.42');
  });

  it('puts the configured firmware string and network addresses in the log', async () => {
    sim = new SimModule({
      saved: { ...LAB_STATION, ssid: 'Home' },
      firmware: '170216-fd39c59-SPWF04S',
      network: { accessPoints: [{ ssid: 'Home', bssid: 'AA:BB:CC:00:00:01', security: 'wpa2-psk', passphrase: 'correct horse battery' }], ipv4: '10.0.0.7', ipv6: 'fe80::1' },
    });
    const term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(10_000);
    const out = term.take();
    assert.ok(out.startsWith('+WIND:1:Poweron:170216-fd39c59-SPWF04S\r\n'));
    assert.ok(out.includes('+WIND:19:WiFi Join:AA:BB:CC:00:00:01\r\n+WIND:25:WiFi Association successful:Home\r\n'));
    assert.ok(out.endsWith('+WIND:24:WiFi Up:0:10.0.0.7\r\n+WIND:24:WiFi Up::fe80::1\r\n'));
  });

  it('follows the timing it is given', async () => {
    sim = new SimModule({ timing: { bootMs: 100, hardwareStartMs: 200 } });
    const term = new Terminal(sim);
    sim.powerOn();
    // Under fake timers each 64-byte output chunk takes one tick of 1 ms.
    await clock.tickAsync(99);
    assert.equal(term.take(), '');
    await clock.tickAsync(10);
    assert.ok(term.take().endsWith('+WIND:3:Watchdog Running:20\r\n'));
    await clock.tickAsync(189); // t = 298: +WIND:32 is due at 300
    assert.equal(term.take(), '');
    await clock.tickAsync(5);
    assert.equal(term.take(), '+WIND:32:WiFi Hardware Started\r\n');
  });

  it('ignores input until Console active', async () => {
    sim = new SimModule({ timing: { bootMs: 100 } });
    const term = new Terminal(sim);
    sim.powerOn();
    sim.write('AT\r');
    await clock.tickAsync(100);
    sim.write('AT\r');
    await clock.tickAsync(1000);
    assert.equal(term.take(), BANNER.replace('+WIND:32:WiFi Hardware Started\r\n', '') +
      lines('AT', 'AT-S.OK', '+WIND:32:WiFi Hardware Started'));
  });

  it('restarts from the beginning on a hardware reset, losing what was not yet sent', async () => {
    sim = new SimModule({ saved: LAB_STATION });
    const term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(500); // mid-join
    term.take();
    sim.hardReset();
    await clock.tickAsync(10_000);
    assert.equal(term.take(), BANNER + JOIN);
  });

  it('hardReset boots a module that was never powered on', async () => {
    sim = new SimModule();
    const term = new Terminal(sim);
    sim.hardReset();
    await clock.tickAsync(10_000);
    assert.equal(term.take(), BANNER);
  });

  it('close() stops everything', async () => {
    sim = new SimModule({ saved: LAB_STATION });
    const term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(60);
    sim.close();
    term.take();
    await clock.tickAsync(10_000);
    assert.equal(term.take(), '');
    assert.equal(clock.countTimers(), 0);
  });

  it('powerOff() then powerOn() boots again with what flash holds; unsaved settings and RAM disk files are gone', async () => {
    sim = new SimModule();
    const term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(5000);
    term.send('AT+S.SCFG=user_desc,saved');
    term.send('AT+S.WCFG');
    term.send('AT+S.SCFG=blink_led,0');
    sim.write('AT+S.FSC=/f,1\rx');
    await clock.tickAsync(100);
    sim.powerOff();
    assert.equal(sim.powerState, 'off');
    term.take();
    await clock.tickAsync(10_000);
    assert.equal(term.take(), '', 'silent while off');
    sim.powerOn();
    await clock.tickAsync(5000);
    assert.equal(term.take(), BANNER);
    assert.equal(sim.configValue('user_desc'), 'saved');
    assert.equal(sim.configValue('blink_led'), '1');
    assert.deepEqual(sim.files(), []);
  });
});
