import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { runSimCommand } from '../../hosts/node/sim-command';
import { FakeClockBench } from './helpers';

// The simulator refuses the SSIDs and passphrases the module would refuse, on its console with the
// module's error answer, and on its command line (spwf04 sim --ssid/--psk) with exit status 2.
describe('sim: SSID and passphrase limits', () => {
  let clock: sinon.SinonFakeTimers;
  let bench: FakeClockBench;

  beforeEach(async () => {
    clock = sinon.useFakeTimers();
    bench = new FakeClockBench(clock);
    await bench.boot();
    await bench.command('AT+S.SCFG=console_echo,0');
  });
  afterEach(() => {
    bench.close();
    clock.restore();
  });

  const answer = (out: string) => out.trim().split('\r\n').pop();

  it('SSIDTXT: refuses an empty SSID (2), one over 32 bytes (32), one with a control character (7); keeps the old one', async () => {
    assert.equal(answer(await bench.command('AT+S.SSIDTXT=Good one')), 'AT-S.OK');
    assert.equal(answer(await bench.command('AT+S.SSIDTXT=')), 'AT-S.ERROR:2:Missing argument(s)');
    assert.equal(answer(await bench.command('AT+S.SSIDTXT=' + 'x'.repeat(33))), 'AT-S.ERROR:32:Argument exceeds allowed size');
    assert.equal(answer(await bench.command('AT+S.SSIDTXT=' + 'x'.repeat(32))), 'AT-S.OK', '32 bytes is the limit');
    for (const c of ['\x00', '\x01', '\t', '\x1b', '\x7f']) {
      assert.equal(answer(await bench.command('AT+S.SSIDTXT=bad' + c + 'ssid')), 'AT-S.ERROR:7:Invalid argument(s)', JSON.stringify(c));
    }
    assert.equal(answer(await bench.command('AT+S.SSIDTXT')), 'AT-S.OK');
    assert.match(await bench.command('AT+S.SSIDTXT'), new RegExp('AT-S.SSID:' + 'x'.repeat(32)));
  });

  it('SCFG wifi_wpa_psk_text: 8 to 63 printable characters or 64 hex digits', async () => {
    for (const ok of ['12345678', 'p'.repeat(63), 'ab'.repeat(32), 'with, comma and spaces', '']) {
      assert.equal(answer(await bench.command('AT+S.SCFG=wifi_wpa_psk_text,' + ok)), 'AT-S.OK', JSON.stringify(ok));
    }
    for (const [bad, code] of [['short', 7], ['1234567', 7], ['g'.repeat(64), 7], ['p'.repeat(65), 32], ['tab\there ok', 7], ['nul\x00here ok', 7]] as const) {
      assert.match(answer(await bench.command('AT+S.SCFG=wifi_wpa_psk_text,' + bad))!, new RegExp('^AT-S.ERROR:' + code + ':'), JSON.stringify(bad));
    }
  });

  it('spwf04 sim refuses such --ssid and --psk with exit status 2, never echoing the passphrase', async () => {
    for (const args of [['--ssid', 'two\nlines'], ['--ssid', ''], ['--ssid', 'x'.repeat(33)], ['--ssid', 'é'.repeat(17)],
      ['--ssid', 'Lab', '--psk', 'five5'], ['--psk', 'x'.repeat(64)], ['--psk', 'y'.repeat(65)], ['--psk', 'ctl\x07passphrase']]) {
      const printed: string[] = [];
      assert.equal(await runSimCommand(args, { out: (l) => printed.push(l), err: (l) => printed.push(l) }), 2, args.join(' '));
      const out = printed.join('\n');
      assert.match(out.split('\n')[0]!, /^spwf04: --(ssid|psk): /, out);
      assert.match(out, /usage: spwf04 sim/);
      if (args[0] === '--psk' || args[2] === '--psk') assert.ok(!out.includes(args[args.length - 1]!), 'the passphrase is not printed');
    }
  });
});
