import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { runDemo, runDemoCommand } from '../hosts/node/demo';
import { capture } from './helpers/cli-capture';

// The demo end to end in Node: the core, the simulated module and a real echo server on 127.0.0.1.
const FAST = { bootMs: 1, hardwareStartMs: 1, resetMs: 1, scanMs: 1, joinMs: 1, associationMs: 1, handshakeMs: 1,
  dhcpMs: 1, ipv6Ms: 1, scanRetryMs: 5, joinRetryMs: 1, radioOffMs: 1, radioOnMs: 1 };

describe('demo, end to end in Node', () => {
  it('boots, joins, echoes a message over TCP and closes, with the passphrase masked', async () => {
    const c = capture();
    const out = c.out;
    const code = await runDemo({ simTiming: FAST, message: 'ping over the module' }, c.io);
    assert.deepEqual(c.err, [], 'nothing on stderr');
    const text = out.join('\n');
    assert.equal(code, 0, text);
    assert.match(text, /module → host  \+WIND:0:Console active/);
    assert.match(text, /host → module  AT\+S\.SCFG=console_echo,0/);
    assert.match(text, /host → module  AT\+S\.SCFG=wifi_wpa_psk_text,\*\*\*\*\*\*\*\*/);
    assert.ok(text.indexOf('correct horse battery') < 0, 'the passphrase never appears');
    assert.match(text, /\+WIND:24:WiFi Up:0:192\.168\.1\.42/);
    assert.match(text, /\+WIND:55:Pending Data::0:20:20/);
    assert.match(text, /host → module  AT\+S\.SOCKR=0,20/);
    assert.match(text, /echo received: "ping over the module"/);
    assert.match(text, /host → module  AT\+S\.SOCKC=0/);
  });

  it('works with the module output delivered one byte at a time', async () => {
    const c = capture();
    const code = await runDemo({ simTiming: FAST, chunkSize: 1, trace: false }, c.io);
    assert.equal(code, 0, c.out.concat(c.err).join('\n'));
  });

  it('ends a wrong passphrase with a clear message, not a hang', async () => {
    const c = capture();
    const code = await runDemo({ simTiming: FAST, psk: 'not the passphrase', trace: false }, c.io);
    assert.equal(code, 1);
    assert.match(c.err[0]!, /^Failed: join failed: the access point refused the passphrase/);
    assert.ok(!c.out.some((l) => l.startsWith('Failed')), 'the failure goes to stderr');
  });

  it('ends an unknown network with "not found" once the join timeout passes', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const c = capture();
      let code: number | undefined;
      runDemo({ simTiming: FAST, ssid: 'Elsewhere', trace: false, joinTimeoutMs: 30000 }, c.io)
        .then((n) => { code = n; });
      for (let i = 0; i < 200 && code === undefined; i++) await clock.tickAsync(500);
      assert.equal(code, 1, c.out.join('\n'));
      assert.match(c.err.join('\n'), /network "Elsewhere" not found/);
    } finally {
      clock.restore();
    }
  });

  describe('its command line', () => {
    it('--help and -h print the usage to stdout and exit 0 without running the demo', async () => {
      for (const flag of ['--help', '-h']) {
        const c = capture();
        assert.equal(await runDemoCommand([flag], c.io), 0);
        assert.match(c.out.join('\n'), /^usage: spwf04 demo/);
        assert.ok(!c.out.join('\n').includes('== Module boot'), 'the demo did not run');
        assert.deepEqual(c.err, []);
      }
    });

    it('refuses unknown flags, missing values and bad numbers by name: one line and the usage on stderr, exit 2', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['--bogus'], /^spwf04: unknown option: --bogus$/],
        [['-x'], /^spwf04: unknown option: -x$/],
        [['--psk'], /^spwf04: --psk needs a value$/],
        [['--ssid', '--quiet'], /^spwf04: --ssid needs a value/],
        [['--quiet=yes'], /^spwf04: --quiet takes no value$/],
        [['--chunk', 'abc'], /^spwf04: --chunk wants a whole number from 1 to 65536, not "abc"$/],
        [['--chunk', '0'], /^spwf04: --chunk wants a whole number from 1 to 65536, not "0"$/],
        [['--chunk=-5'], /^spwf04: --chunk wants a whole number from 1 to 65536, not "-5"$/],
        [['--chunk', '-5'], /^spwf04: --chunk needs a value/],
        [['extra'], /^spwf04: unexpected argument: extra$/],
      ];
      for (const [args, line] of cases) {
        const c = capture();
        assert.equal(await runDemoCommand(args, c.io), 2, args.join(' '));
        assert.match(c.err[0]!, line, args.join(' '));
        assert.match(c.err.slice(1).join('\n'), /^\nusage: spwf04 demo/);
        assert.deepEqual(c.out, [], 'nothing on stdout');
      }
    });
  });
});
