import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runDemoCommand } from '../../hosts/node/demo';
import { runSimCommand } from '../../hosts/node/sim-command';
import { capture } from '../helpers/cli-capture';
import { SOCAT, until } from '../helpers/sim-on-pty';

// `spwf04 demo --port`: the demo against a module on a serial port, through the `serialport` package. The
// module here is the simulator behind a pseudo-terminal (spwf04 sim --pty, socat): the same bytes a
// USB-UART adapter would carry.

describe('spwf04 demo --port: a module on a serial port', () => {
  it('runs the whole demo against the simulator behind a pseudo-terminal (skipped without socat)', async function () {
    if (!fs.existsSync(SOCAT)) return this.skip();
    const link = path.join(os.tmpdir(), 'spwf04-demo-port-' + process.pid);
    const simOut: string[] = [];
    const stop = new AbortController();
    const sim = runSimCommand(['--pty', link], { out: (l) => simOut.push(l), err: (l) => simOut.push(l) }, { signal: stop.signal, socat: SOCAT });
    try {
      await until(() => fs.existsSync(link), 'the pty link');
      const c = capture();
      const code = await runDemoCommand(['--port', link, '--baud', '115200', '--echo', '127.0.0.1', '--message', 'over a serial port'], c.io);
      const text = c.out.join('\n');
      assert.equal(code, 0, text + '\n' + c.err.join('\n') + '\n' + simOut.join('\n'));
      assert.match(text, new RegExp('== Module start \\(SPWF04S on ' + link.replace(/[.]/g, '\\.') + '\\)'));
      assert.match(text, /host → module  AT\+S\.SCFG=wifi_wpa_psk_text,\*\*\*\*\*\*\*\*/);
      assert.match(text, /module → host  \+WIND:24:WiFi Up/);
      assert.match(text, /echo received: "over a serial port"/);
      assert.deepEqual(c.err, []);
    } finally {
      stop.abort();
      await sim;
    }
  });

  it('with no device at the path: one clear line on stderr, exit 1', async () => {
    const c = capture();
    const missing = path.join(os.tmpdir(), 'spwf04-no-such-tty-' + process.pid);
    assert.equal(await runDemoCommand(['--port', missing], c.io), 1);
    assert.deepEqual(c.err, ['Failed: no device at ' + missing + ' (is the adapter plugged in? look in /dev/ttyUSB* and /dev/ttyACM*)']);
    assert.deepEqual(c.out, []);
  });

  it('refuses --baud without --port, a bad --baud and a bad --echo as usage errors', async () => {
    for (const [args, line] of [
      [['--baud', '9600'], 'spwf04: --baud goes with --port'],
      [['--port', '/dev/x', '--baud', 'fast'], 'spwf04: --baud wants a whole number from 1200 to 921600, not "fast"'],
      [['--port', '/dev/x', '--echo', 'my-laptop'], 'spwf04: --echo wants an IP address of this machine, not "my-laptop"'],
      [['--port'], 'spwf04: --port needs a value'],
    ] as Array<[string[], string]>) {
      const c = capture();
      assert.equal(await runDemoCommand(args, c.io), 2, args.join(' '));
      assert.equal(c.err[0], line);
    }
  });
});
