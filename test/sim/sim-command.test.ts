import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tty from 'node:tty';
import { runSimCommand } from '../../hosts/node/sim-command';
import type { CliIo } from '../../hosts/node/cli-args';
import { capture } from '../helpers/cli-capture';

// `spwf04 sim`: the simulated module behind a TCP port, and behind a pseudo-terminal through socat.
// Real sockets, real timers, the module's default delays (its boot takes about 50 ms).

const SOCAT = '/usr/bin/socat';

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Both streams into one list (the order the lines came in). */
function both(printed: string[]): CliIo {
  return { out: (l) => printed.push(l), err: (l) => printed.push(l) };
}

function portFrom(printed: string[]): number | undefined {
  for (const line of printed) {
    const m = /tcp 127\.0\.0\.1:(\d+)/.exec(line);
    if (m) return Number(m[1]);
  }
  return undefined;
}

describe('spwf04 sim', () => {
  it('serves the module on a TCP port: boot log on connect, AT → AT-S.OK, one client at a time, SIGINT stops', async () => {
    const printed: string[] = [];
    // With no other SIGINT listener we can exercise the real stop path; otherwise stop through the signal.
    const sigintListeners = process.listenerCount('SIGINT');
    const useSigint = sigintListeners === 0;
    const stop = new AbortController();
    const run = runSimCommand(['--tcp', '0'], both(printed), { signal: stop.signal });
    await until(() => portFrom(printed) !== undefined, 'the port');
    const port = portFrom(printed)!;

    const c = net.connect(port, '127.0.0.1');
    let got = '';
    c.on('data', (d) => { got += d.toString('latin1'); });
    await until(() => got.includes('+WIND:0:Console active\r\n'), 'the boot log');
    assert.ok(got.startsWith('+WIND:1:Poweron:'), got);
    c.write('AT\r');
    await until(() => got.includes('AT\r\nAT-S.OK\r\n'), 'AT-S.OK');

    const second = net.connect(port, '127.0.0.1');
    second.on('error', () => undefined);
    await new Promise((r) => second.once('close', r));
    assert.ok(printed.some((l) => l.includes('refused a second client')));

    c.destroy();
    await until(() => printed.some((l) => l.includes('client left')), 'the client to leave');
    if (useSigint) process.emit('SIGINT');
    else stop.abort();
    assert.equal(await run, 0);
    assert.equal(process.listenerCount('SIGINT'), sigintListeners, 'its SIGINT handler is gone');
    await assert.rejects(new Promise((resolve, reject) => net.connect(port, '127.0.0.1', () => resolve(undefined)).once('error', reject)));
  });

  it('boots the module again at the next connection', async () => {
    const printed: string[] = [];
    const stop = new AbortController();
    const run = runSimCommand(['--tcp', '0', '--chunk', '16'], both(printed), { signal: stop.signal });
    await until(() => portFrom(printed) !== undefined, 'the port');
    for (let i = 0; i < 2; i++) {
      const c = net.connect(portFrom(printed)!, '127.0.0.1');
      let got = '';
      c.on('data', (d) => { got += d.toString('latin1'); });
      await until(() => got.includes('+WIND:0:Console active\r\n'), 'the boot log');
      c.destroy();
      await until(() => printed.filter((l) => l.includes('client left')).length === i + 1, 'the client to leave');
    }
    stop.abort();
    assert.equal(await run, 0);
  });

  it('prints its usage on --help/-h to stdout, and answers usage errors with one line and the usage on stderr, exit 2', async () => {
    for (const flag of ['--help', '-h']) {
      const c = capture();
      assert.equal(await runSimCommand([flag], c.io), 0);
      assert.match(c.out.join('\n'), /^usage: spwf04 sim/);
      assert.deepEqual(c.err, []);
    }
    const cases: Array<[string[], string]> = [
      [['--bogus', '1'], 'spwf04: unknown option: --bogus'],
      [['--chunk', '0'], 'spwf04: --chunk wants a whole number from 1 to 65536, not "0"'],
      [['--chunk', 'abc'], 'spwf04: --chunk wants a whole number from 1 to 65536, not "abc"'],
      [['--tcp'], 'spwf04: --tcp needs a value'],
      [['--tcp', '70000'], 'spwf04: --tcp wants a whole number from 0 to 65535, not "70000"'],
      [['stray'], 'spwf04: unexpected argument: stray'],
    ];
    for (const [args, line] of cases) {
      const c = capture();
      assert.equal(await runSimCommand(args, c.io), 2, args.join(' '));
      assert.equal(c.err[0], line);
      assert.match(c.err.slice(1).join('\n'), /^\nusage: spwf04 sim/);
      assert.deepEqual(c.out, []);
    }
  });

  it('with --pty, makes a pseudo-terminal a serial client can open (skipped without socat)', async function () {
    if (!fs.existsSync(SOCAT)) return this.skip();
    const link = path.join(os.tmpdir(), `spwf04-sim-test-${process.pid}`);
    const printed: string[] = [];
    const stop = new AbortController();
    const run = runSimCommand(['--tcp', '0', '--pty', link], both(printed), { signal: stop.signal, socat: SOCAT });
    try {
      await until(() => fs.existsSync(link), 'the pty link');
      const fd = fs.openSync(link, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
      const input = new tty.ReadStream(fd);
      const output = new tty.WriteStream(fd);
      let got = '';
      input.on('data', (d: Buffer) => { got += d.toString('latin1'); });
      try {
        await until(() => got.includes('+WIND:0:Console active\r\n'), 'the boot log through the pty');
        output.write('AT\r');
        await until(() => got.includes('AT\r\nAT-S.OK\r\n'), 'AT-S.OK through the pty');
      } finally {
        output.destroy();
        input.destroy();
      }
    } finally {
      stop.abort();
    }
    assert.equal(await run, 0, printed.join('\n'));
    assert.ok(!fs.existsSync(link), 'socat removed its link');
  });

  it('refuses a --pty path that is a regular file (socat would replace it)', async () => {
    const file = path.join(os.tmpdir(), `spwf04-sim-test-file-${process.pid}`);
    fs.writeFileSync(file, 'keep me');
    try {
      const printed: string[] = [];
      assert.equal(await runSimCommand(['--pty', file], both(printed)), 2);
      assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    } finally {
      fs.unlinkSync(file);
    }
  });
});
