import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tty from 'node:tty';
import { runSimCommand } from '../../hosts/node/sim-command';

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
    const run = runSimCommand(['--tcp', '0'], (l) => printed.push(l), { signal: stop.signal });
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
    const run = runSimCommand(['--tcp', '0', '--chunk', '16'], (l) => printed.push(l), { signal: stop.signal });
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

  it('prints its usage on --help, and answers usage errors with exit code 2', async () => {
    const printed: string[] = [];
    assert.equal(await runSimCommand(['--help'], (l) => printed.push(l)), 0);
    assert.equal(await runSimCommand(['--bogus', '1'], (l) => printed.push(l)), 2);
    assert.equal(await runSimCommand(['--chunk', '0'], (l) => printed.push(l)), 2);
    assert.equal(await runSimCommand(['--tcp'], (l) => printed.push(l)), 2);
    assert.match(printed.join('\n'), /usage: spwf04 sim/);
  });

  it('with --pty, makes a pseudo-terminal a serial client can open (skipped without socat)', async function () {
    if (!fs.existsSync(SOCAT)) return this.skip();
    const link = path.join(os.tmpdir(), `spwf04-sim-test-${process.pid}`);
    const printed: string[] = [];
    const stop = new AbortController();
    const run = runSimCommand(['--tcp', '0', '--pty', link], (l) => printed.push(l), { signal: stop.signal, socat: SOCAT });
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
      assert.equal(await runSimCommand(['--pty', file], (l) => printed.push(l)), 2);
      assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    } finally {
      fs.unlinkSync(file);
    }
  });
});
