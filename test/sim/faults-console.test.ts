import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { FakeClockBench, LAB_STATION, lines } from './helpers';

// Faults in how the module answers commands: an indication inside a response, a reset instead of an
// answer, silence, a late answer. Fake timers throughout.

const BANNER_START = '+WIND:1:Poweron:171117-0328fe3-SPWF04S\r\n';

describe('sim faults: the console', () => {
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

  describe('a +WIND inside the next response', () => {
    it('comes after the echo, before the final line, and only once', async () => {
      await bench.boot();
      bench.sim.faults.windInNextResponse();
      assert.equal(await bench.command('AT'), lines('AT', '+WIND:16:WiFi Signal Ok', 'AT-S.OK'));
      assert.equal(await bench.command('AT'), lines('AT', 'AT-S.OK'));
    });

    it('with echo off, comes before a lone final line', async () => {
      await bench.boot();
      await bench.command('AT+S.SCFG=console_echo,0');
      bench.sim.faults.windInNextResponse(58, [3, 0]);
      assert.equal(await bench.command('AT'), lines('+WIND:58:Socket Closed:3:0', 'AT-S.OK'));
    });

    it('lands between a Reading header and its raw bytes', async () => {
      await bench.boot();
      await bench.command('AT+S.SCFG=console_echo,0');
      await bench.command('AT+S.FSC=/a.txt,5', 'hello');
      bench.sim.faults.windInNextResponse(55, ['', 0, 4, 4]);
      assert.equal(await bench.command('AT+S.FSP=/a.txt'),
        lines('AT-S.Reading:5:5', '+WIND:55:Pending Data::0:4:4') + 'hello' + lines('AT-S.OK'));
    });

    it('obeys the WIND masks', async () => {
      await bench.boot();
      await bench.command('AT+S.SCFG=console_wind_off_low,0x00010000'); // bit 16
      bench.sim.faults.windInNextResponse();
      assert.equal(await bench.command('AT'), lines('AT', 'AT-S.OK'));
    });

    it('leaves the normal rule alone: real indications still wait for the final line', async () => {
      await bench.boot({ timing: { radioOffMs: 0 } });
      bench.sim.faults.windInNextResponse();
      assert.equal(await bench.command('AT+S.WIFI=0'), lines('AT+S.WIFI=0', '+WIND:16:WiFi Signal Ok', 'AT-S.OK', '+WIND:38:WiFi Powered Down'));
    });
  });

  describe('a reset in the middle of the next command', () => {
    it('echoes the command, then reboots instead of answering or acting', async () => {
      await bench.boot();
      bench.sim.faults.resetInNextCommand();
      const out = await bench.command('AT+S.SCFG=console_echo,0', '', 5000);
      assert.ok(out.startsWith(lines('AT+S.SCFG=console_echo,0') + BANNER_START), out);
      assert.ok(!out.includes('AT-S.OK'));
      assert.equal(bench.sim.configValue('console_echo'), '1');
      assert.equal(await bench.command('AT'), lines('AT', 'AT-S.OK'), 'only one command is hit');
    });

    it('drops the lines sent behind it, as a reboot does', async () => {
      await bench.boot();
      bench.sim.faults.resetInNextCommand();
      bench.sim.write('AT\rAT+S.GCFG=user_desc\r');
      const out = await bench.tick(5000);
      assert.ok(out.startsWith(lines('AT') + BANNER_START), out);
      assert.ok(!out.includes('user_desc'));
    });

    it('restarts the radio like any reboot', async () => {
      await bench.boot({ saved: LAB_STATION });
      assert.equal(bench.sim.wifiState, 10);
      bench.sim.faults.resetInNextCommand();
      await bench.command('AT', '', 1);
      assert.equal(bench.sim.wifiState, 2, 'the radio restarts from scratch');
    });
  });

  describe('silence', () => {
    it('swallows commands without echo, effect or answer until turned off', async () => {
      await bench.boot();
      bench.sim.faults.silence();
      assert.equal(bench.sim.faults.silenced, true);
      assert.equal(await bench.command('AT+S.SCFG=user_desc,hush', '', 10_000), '');
      assert.equal(bench.sim.configValue('user_desc'), 'anonymous');
      bench.sim.faults.silence(false);
      assert.equal(await bench.command('AT'), lines('AT', 'AT-S.OK'));
    });

    it('keeps framing payloads, so the console is in step when it speaks again', async () => {
      await bench.boot();
      bench.sim.faults.silence();
      await bench.command('AT+S.SOCKW=0,4', 'AT\r\n');
      bench.sim.faults.silence(false);
      assert.equal(await bench.command('AT'), lines('AT', 'AT-S.OK'));
    });

    it('still lets indications through, and lasts across a reset', async () => {
      await bench.boot();
      bench.sim.faults.silence();
      bench.sim.hardReset();
      assert.ok((await bench.tick(5000)).startsWith(BANNER_START));
      assert.equal(await bench.command('AT', '', 1000), '');
    });
  });

  describe('a late answer', () => {
    it('answers the next command N ms later than normal; commands sent meanwhile wait their turn', async () => {
      await bench.boot();
      bench.sim.faults.answerNextLate(3000);
      assert.equal(await bench.command('AT+S.SCFG=user_desc,late'), lines('AT+S.SCFG=user_desc,late'), 'the echo is at once');
      assert.equal(bench.sim.configValue('user_desc'), 'anonymous', 'nor has it acted yet');
      bench.sim.write('AT\r');
      assert.equal(await bench.tick(2800), '');
      assert.equal(await bench.tick(200), lines('AT-S.OK', 'AT', 'AT-S.OK'));
      assert.equal(bench.sim.configValue('user_desc'), 'late');
      assert.equal(await bench.command('AT'), lines('AT', 'AT-S.OK'), 'only the one command is late');
    });

    it('holds indications that arise meanwhile until its final line', async () => {
      const quickJoin = { bootMs: 0, hardwareStartMs: 0, scanMs: 500, joinMs: 0, associationMs: 0, handshakeMs: 0, dhcpMs: 0, ipv6Ms: 0 };
      await bench.boot({ saved: LAB_STATION, timing: quickJoin }, 10); // scanning until 500 ms
      bench.sim.faults.answerNextLate(1000);
      assert.equal(await bench.command('AT', '', 900), lines('AT'));
      assert.equal(await bench.tick(200), lines(
        'AT-S.OK',
        '+WIND:35:WiFi Scan Complete:00',
        '+WIND:19:WiFi Join:00:11:22:33:44:55',
        '+WIND:25:WiFi Association successful:SPWF-Lab',
        '+WIND:51:WPA Handshake Complete',
        '+WIND:24:WiFi Up:0:192.168.1.42',
        '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1',
      ));
    });

    it('never comes if the module resets first', async () => {
      await bench.boot();
      bench.sim.faults.answerNextLate(1000);
      await bench.command('AT', '', 10);
      bench.sim.hardReset();
      const out = await bench.tick(5000);
      assert.ok(out.startsWith(BANNER_START) && !out.includes('AT-S.OK'), out);
    });
  });
});
