import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { runDemo } from '../hosts/node/demo';

// The demo end to end in Node: the core, the simulated module and a real echo server on 127.0.0.1.
const FAST = { bootMs: 1, hardwareStartMs: 1, resetMs: 1, scanMs: 1, joinMs: 1, associationMs: 1, handshakeMs: 1,
  dhcpMs: 1, ipv6Ms: 1, scanRetryMs: 5, joinRetryMs: 1, radioOffMs: 1, radioOnMs: 1 };

describe('demo, end to end in Node', () => {
  it('boots, joins, echoes a message over TCP and closes, with the passphrase masked', async () => {
    const out: string[] = [];
    const code = await runDemo({ simTiming: FAST, message: 'ping over the module' }, (l) => out.push(l));
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
    const out: string[] = [];
    const code = await runDemo({ simTiming: FAST, chunkSize: 1, trace: false }, (l) => out.push(l));
    assert.equal(code, 0, out.join('\n'));
  });

  it('ends a wrong passphrase with a clear message, not a hang', async () => {
    const out: string[] = [];
    const code = await runDemo({ simTiming: FAST, psk: 'not the passphrase', trace: false }, (l) => out.push(l));
    assert.equal(code, 1);
    assert.match(out.join('\n'), /Failed: join failed: the access point refused the passphrase/);
  });

  it('ends an unknown network with "not found" once the join timeout passes', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const out: string[] = [];
      let code: number | undefined;
      runDemo({ simTiming: FAST, ssid: 'Elsewhere', trace: false, joinTimeoutMs: 30000 }, (l) => out.push(l))
        .then((c) => { code = c; });
      for (let i = 0; i < 200 && code === undefined; i++) await clock.tickAsync(500);
      assert.equal(code, 1, out.join('\n'));
      assert.match(out.join('\n'), /network "Elsewhere" not found/);
    } finally {
      clock.restore();
    }
  });
});
