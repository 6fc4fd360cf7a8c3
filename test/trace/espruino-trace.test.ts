import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { parseTrace } from '../../hosts/node/trace/format';
import { tempDir } from './helpers';

// hosts/espruino/trace.ts in the real Espruino interpreter (the Nucleo-heap build): its lines, on the
// console and in a bounded Storage file, are a trace the desktop reader takes.

const ROOT = path.join(__dirname, '..', '..');
const ESPRUINO = path.join(ROOT, '..', 'shared', 'tools', 'espruino', 'espruino-nucleo');

/** trace.ts as a plain script (its only import is a type), then `body`, run in a fresh flash. */
function runInEspruino(body: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, 'hosts', 'espruino', 'trace.ts'), 'utf8').replace(/^export function/m, 'function');
  const code = esbuild.transformSync(src, { loader: 'ts', target: 'es2017' }).code + '\n' + body;
  const dir = tempDir('trace-espruino-');
  fs.writeFileSync(path.join(dir, 'main.js'), code);
  const r = spawnSync(ESPRUINO, ['main.js'], { cwd: dir, input: '', encoding: 'latin1', timeout: 10000 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!/Uncaught|MEMORY|ASSERT/.test(r.stdout), r.stdout);
  return r.stdout.split('\n').map((l) => l.replace(/\r$/, ''));
}

describe('trace on Espruino (hosts/espruino/trace.ts)', function () {
  this.timeout(20000);
  before(function () {
    if (!fs.existsSync(ESPRUINO)) {
      console.log('    (skipped: no Espruino interpreter at ' + ESPRUINO + ')');
      this.skip();
    }
  });

  it('console and a Storage file: header then records, escaped as JSON; the file stops at its bound with a note', () => {
    const out = runInEspruino([
      'var c = traceTo("console");',
      'c(">", "AT+S.SCFG=wifi_wpa_psk_text,********");',
      'c("<", "caf\\xe9 \\"q\\" \\x01");',
      'var f = traceTo("spwf.trace", 700);',
      'f(">", "AT+S.WIFI=1");',
      'for (var i = 0; i < 30; i++) f("<", "+WIND:55:Pending Data::0:27:27");',
      'var g = traceTo("spwf.trace", 700);', // a reboot: the file is already full
      'g(">", "AT");',
      'var r = require("Storage").open("spwf.trace", "r"), l, n = 0;',
      'while ((l = r.readLine()) !== undefined) { print("FILE " + l.trim()); n += l.length; }',
      'print("SIZE " + n);',
    ].join('\n'));
    const consoleLines = out.filter((l) => l.charAt(0) === '{');
    const tr = parseTrace(consoleLines.join('\n'), 'console');
    assert.equal(tr.header.source, 'espruino');
    assert.match(tr.header.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(tr.records.map((r) => r.dir + ' ' + r.text), ['> AT+S.SCFG=wifi_wpa_psk_text,********', '< caf\xe9 "q" \x01']);

    const fileLines = out.filter((l) => l.indexOf('FILE ') === 0).map((l) => l.substring(5));
    const ft = parseTrace(fileLines.join('\n'), 'spwf.trace');
    assert.equal(ft.sessions.length, 1, 'a full file takes no further header');
    assert.equal(ft.records[0].text, 'AT+S.WIFI=1');
    assert.ok(ft.records.length > 3 && ft.records.length < 31);
    const last = ft.records[ft.records.length - 1];
    assert.deepEqual([last.dir, last.text], ['note', 'trace file full (700 bytes): the rest is not recorded']);
    const size = Number(out.find((l) => l.indexOf('SIZE ') === 0)!.substring(5));
    assert.ok(size <= 700, 'bounded: ' + size);
    assert.ok(out.some((l) => l === '[spwf04] trace: spwf.trace is full (700 bytes): erase it to trace again'));
  });
});
