import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { SimModule, type SimOptions } from '../../hosts/sim/module';
import { LAB_STATION, lines, Terminal } from './helpers';

describe('sim: console', () => {
  let clock: sinon.SinonFakeTimers;
  let sim: SimModule;
  let term: Terminal;

  async function start(opts: SimOptions = {}): Promise<void> {
    sim = new SimModule(opts);
    term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(5000);
    term.take();
  }

  async function command(line: string, ms = 100): Promise<string> {
    term.send(line);
    await clock.tickAsync(ms);
    return term.take();
  }

  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => { sim.close(); clock.restore(); });

  it('answers AT with AT-S.OK and an unknown command with error 1', async () => {
    await start();
    assert.equal(await command('AT'), lines('AT', 'AT-S.OK'));
    assert.equal(await command('AT+S.FROBNICATE=1'), lines('AT+S.FROBNICATE=1', 'AT-S.ERROR:1:Command not found'));
    assert.equal(await command('hello'), lines('hello', 'AT-S.ERROR:1:Command not found'));
  });

  it('takes commands in any case and echoes them as typed', async () => {
    await start();
    assert.equal(await command('at+s.gcfg=wifi_mode'), lines('at+s.gcfg=wifi_mode', 'AT-S.Var:wifi_mode=0', 'AT-S.OK'));
  });

  it('ignores a stray LF before or after the CR, and empty lines', async () => {
    await start();
    sim.write('\nAT\r\nAT+S.GCFG=blink_led\n\r\r');
    await clock.tickAsync(100);
    assert.equal(term.take(), lines('AT', 'AT-S.OK', 'AT+S.GCFG=blink_led', 'AT-S.Var:blink_led=1', 'AT-S.OK'));
  });

  it('assembles a command written one byte at a time', async () => {
    await start();
    for (const byte of 'AT+S.GCFG=console_echo\r') sim.write(byte);
    await clock.tickAsync(100);
    assert.equal(term.take(), lines('AT+S.GCFG=console_echo', 'AT-S.Var:console_echo=1', 'AT-S.OK'));
  });

  it('answers asynchronously, never from inside write()', async () => {
    await start();
    term.send('AT');
    assert.equal(term.take(), '');
    await clock.tickAsync(0);
    await clock.tickAsync(10);
    assert.equal(term.take(), lines('AT', 'AT-S.OK'));
  });

  it('delivers output in chunks of at most chunkSize bytes', async () => {
    sim = new SimModule({ chunkSize: 7, timing: { hardwareStartMs: 0 } }); // the whole banner in one burst
    term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(5000);
    const banner = term.take();
    assert.ok(term.chunks.length > 10);
    for (const chunk of term.chunks) assert.ok(chunk.length <= 7 && chunk.length > 0);
    assert.equal(term.chunks.join(''), banner);
    assert.ok(term.chunks.slice(0, -1).every((c) => c.length === 7), 'one burst is cut in full chunks');
  });

  it('uses 64-byte chunks by default', async () => {
    await start();
    term.chunks.length = 0;
    const out = await command('AT+S.GCFG', 1000);
    assert.ok(out.length > 64 * 10);
    assert.ok(term.chunks.every((c) => c.length <= 64));
    assert.equal(Math.max(...term.chunks.map((c) => c.length)), 64);
  });

  it('throws an over-long command line away and says so', async () => {
    await start();
    assert.equal(await command('AT+S.SCFG=user_desc,' + 'x'.repeat(600)), lines('AT-S.ERROR:32:Argument exceeds allowed size'));
    assert.equal(await command('AT'), lines('AT', 'AT-S.OK'));
  });

  it('runs lines sent back to back one after the other', async () => {
    await start();
    sim.write('AT\rAT+S.GCFG=wifi_mode\rAT\r');
    await clock.tickAsync(100);
    assert.equal(term.take(), lines('AT', 'AT-S.OK', 'AT+S.GCFG=wifi_mode', 'AT-S.Var:wifi_mode=0', 'AT-S.OK', 'AT', 'AT-S.OK'));
  });

  it('never splits a response with an indication: WINDs wait for the final line', async () => {
    sim = new SimModule({ saved: LAB_STATION, timing: { bootMs: 0, hardwareStartMs: 0, scanMs: 1000, joinMs: 0, associationMs: 0, handshakeMs: 0, dhcpMs: 0, ipv6Ms: 0 } });
    term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(10);
    term.take();
    // The join's scan ends at 1000 ms and the rest follows at once, while AT+S.SCAN (1000 ms too) runs.
    await clock.tickAsync(500);
    term.send('AT+S.SCAN=s,');
    await clock.tickAsync(3000);
    assert.equal(term.take(), lines(
      'AT+S.SCAN=s,',
      'AT-S.Parsing Networks:1',
      "1:\tBSS 00:11:22:33:44:55 CHAN: 06 RSSI: -45 SSID: 'SPWF-Lab' CAPS: 0431 WPA2 ",
      'AT-S.OK',
      '+WIND:35:WiFi Scan Complete:00',
      '+WIND:19:WiFi Join:00:11:22:33:44:55',
      '+WIND:25:WiFi Association successful:SPWF-Lab',
      '+WIND:51:WPA Handshake Complete',
      '+WIND:24:WiFi Up:0:192.168.1.42',
      '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1',
    ));
  });

  it('swallows the payload of a refused data command and echoes it back, never running it', async () => {
    await start();
    const payload = 'AT+S.SCFG=wifi_mode,1\r\nAT-S.OK\r\n';
    sim.write(`AT+S.SOCKW=3,${payload.length}\r${payload}`);
    await clock.tickAsync(100);
    assert.equal(term.take(), lines('AT+S.SOCKW=3,' + payload.length, 'AT-S.ERROR:78:Socket not connected') + payload);
    assert.equal(sim.configValue('wifi_mode'), '0');
    assert.equal(await command('AT'), lines('AT', 'AT-S.OK'));
  });

  it('frames the payload of data commands it does not simulate', async () => {
    await start();
    sim.write('AT+S.INPUTSSI=5\rAT\r\nX');
    await clock.tickAsync(100);
    const out = term.take();
    assert.ok(out.startsWith(lines('AT+S.INPUTSSI=5', 'AT-S.ERROR:1:Command not found')), out);
    assert.equal(await command('AT'), lines('AT', 'AT-S.OK'));
  });
});
