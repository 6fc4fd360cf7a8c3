import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { runSimCommand } from '../../hosts/node/sim-command';
import { parseTrace } from '../../hosts/node/trace/format';
import { tempDir } from './helpers';

// `spwf04 sim --trace <file>`: what crosses the simulated module's UART, whoever talks to it, in the
// same format as the engine's trace: command lines with `<N bytes>` for their data, raw blocks as
// `[N bytes of data]`, secrets masked even when the client sends them in clear.

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('spwf04 sim --trace', function () {
  this.timeout(20000);

  it('records both directions of the UART, masked, with the client\'s comings and goings as notes', async () => {
    const file = path.join(tempDir('trace-sim-'), 'sim.jsonl');
    const printed: string[] = [];
    const stop = new AbortController();
    const run = runSimCommand(['--tcp', '0', '--trace', file], { out: (l) => printed.push(l), err: (l) => printed.push(l) }, { signal: stop.signal });
    await until(() => printed.some((l) => /tcp 127\.0\.0\.1:\d+/.test(l)), 'the port');
    const port = Number(/tcp 127\.0\.0\.1:(\d+)/.exec(printed.find((l) => /tcp 127\.0\.0\.1:\d+/.test(l))!)![1]);
    const c = net.connect(port, '127.0.0.1');
    let got = '';
    c.on('data', (d) => { got += d.toString('latin1'); });
    const okCount = () => got.split('AT-S.OK\r\n').length - 1;
    await until(() => got.includes('+WIND:0:Console active\r\n'), 'the boot log');
    // Echo is on (factory setting): the module repeats the passphrase line too.
    c.write('AT+S.SCFG=wifi_wpa_psk_text,my secret phrase\r');
    await until(() => okCount() === 1, 'SCFG');
    c.write('AT+S.GCFG=wifi_wpa_psk_text\r');
    await until(() => okCount() === 2, 'GCFG');
    c.write('AT+S.FSC=/note.txt,5\rhello');
    await until(() => okCount() === 3, 'FSC');
    c.write('AT+S.FSP=/note.txt,0,5\r');
    await until(() => okCount() === 4, 'FSP');
    c.destroy();
    await until(() => printed.some((l) => l.includes('client left')), 'the client to leave');
    stop.abort();
    assert.equal(await run, 0);

    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes('secret phrase'), text);
    const tr = parseTrace(text, file);
    assert.equal(tr.header.source, 'sim');
    const lines = tr.records.map((r) => r.dir + ' ' + r.text);
    assert.equal(lines[0], 'note client connected: module powered on');
    assert.equal(lines[lines.length - 1], 'note client left: module powered off (it boots again at the next connection)');
    const i = lines.indexOf('> AT+S.SCFG=wifi_wpa_psk_text,********');
    assert.ok(i > 0, lines.join('\n'));
    assert.deepEqual(lines.slice(i, i + 3), ['> AT+S.SCFG=wifi_wpa_psk_text,********', '< AT+S.SCFG=wifi_wpa_psk_text,********', '< AT-S.OK']);
    assert.ok(lines.includes('< AT-S.Var:wifi_wpa_psk_text=********'));
    const fsc = lines.indexOf('> AT+S.FSC=/note.txt,5 <5 bytes>');
    assert.ok(fsc > 0, lines.join('\n'));
    const fsp = lines.indexOf('> AT+S.FSP=/note.txt,0,5');
    assert.deepEqual(lines.slice(fsp + 1, fsp + 5), ['< AT+S.FSP=/note.txt,0,5', '< AT-S.Reading:5:5', '< [5 bytes of data]', '< AT-S.OK']);
    assert.ok(tr.records.every((r, k) => k === 0 || r.t >= tr.records[k - 1].t), 'times in order');
  });

  it('a trace file that cannot be created: one line, exit 1, nothing left listening', async () => {
    const printed: string[] = [];
    const code = await runSimCommand(['--tcp', '0', '--trace', path.join(tempDir('trace-sim-'), 'no', 'such', 'dir.jsonl')], { out: (l) => printed.push(l), err: (l) => printed.push(l) });
    assert.equal(code, 1);
    assert.equal(printed.length, 1);
    assert.match(printed[0], /^cannot write the trace file .*dir\.jsonl: ENOENT/);
  });
});
