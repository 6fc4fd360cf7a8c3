import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runTraceCommand, TRACE_USAGE } from '../../hosts/node/trace/trace-command';
import { recordDemoTrace, tempDir } from './helpers';

// `spwf04 trace <file> [--html <out>] [--summary]`: usage, errors that name the file and line, outputs.

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTraceCommand(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const CLI = path.join(__dirname, '..', '..', 'build', 'out', 'spwf04.js');

describe('spwf04 trace', function () {
  this.timeout(30000);
  let dir: string;
  let trace: string;

  before(async () => {
    dir = tempDir('trace-command-');
    trace = path.join(dir, 't.jsonl');
    assert.equal((await recordDemoTrace(trace)).code, 0);
  });

  it('--help / -h: the usage on stdout, exit 0', async () => {
    for (const h of ['--help', '-h']) {
      const r = await run([h]);
      assert.equal(r.code, 0);
      assert.deepEqual(r.out, [TRACE_USAGE]);
      assert.deepEqual(r.err, []);
    }
  });

  it('bad usage: one line and the usage on stderr, exit 2', async () => {
    for (const [args, first] of [
      [[], 'which trace file?'],
      [[trace, '--html'], '--html needs a value'],
      [[trace, '--svg', 'x'], 'unknown option: --svg'],
      [[trace, 'other.jsonl'], 'unexpected argument: other.jsonl'],
    ] as [string[], string][]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.deepEqual(r.out, []);
      assert.deepEqual(r.err, ['spwf04: ' + first, '', TRACE_USAGE]);
    }
  });

  it('a missing or invalid file: one line naming the file (and the line), exit 1', async () => {
    const missing = path.join(dir, 'nope.jsonl');
    let r = await run([missing]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.err, ['cannot read ' + missing + ': no such file']);
    const bad = path.join(dir, 'bad.jsonl');
    const lines = fs.readFileSync(trace, 'utf8').split('\n');
    lines[3] = '{"t":1,"dir":">",';
    fs.writeFileSync(bad, lines.join('\n'));
    r = await run([bad, '--html', path.join(dir, 'bad.html')]);
    assert.equal(r.code, 1);
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], new RegExp('^invalid trace ' + bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ':4: not a JSON object'));
    assert.ok(!fs.existsSync(path.join(dir, 'bad.html')));
  });

  it('--html writes the page; --summary prints; the summary is the default', async () => {
    const out = path.join(dir, 't.html');
    let r = await run([trace, '--html', out]);
    assert.equal(r.code, 0);
    assert.match(r.out[0], /^wrote .*t\.html \(\d+ records\)$/);
    assert.match(fs.readFileSync(out, 'utf8'), /<svg /);
    r = await run([trace, '--summary']);
    assert.equal(r.code, 0);
    assert.match(r.out[1], /^commands: /);
    const plain = await run([trace]);
    assert.deepEqual(plain.out, r.out);
    r = await run([trace, '--html', path.join(dir, 'no-such-dir', 'x.html')]);
    assert.equal(r.code, 1);
    assert.match(r.err[0], /^cannot write .*x\.html: ENOENT/);
  });

  it('the built command line: demo --trace then trace --html, and an invalid file without a stack trace', function () {
    if (!fs.existsSync(CLI)) this.skip();
    const t = path.join(dir, 'cli.jsonl');
    const html = path.join(dir, 'cli.html');
    let r = spawnSync(process.execPath, [CLI, 'demo', '--quiet', '--trace', t], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    r = spawnSync(process.execPath, [CLI, 'trace', t, '--html', html], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.readFileSync(html, 'utf8').includes('AT+S.SSIDTXT=SPWF-Lab'));
    fs.writeFileSync(path.join(dir, 'v9.jsonl'), '{"format":"spwf04-trace","version":9,"start":"x","source":"y"}\n');
    r = spawnSync(process.execPath, [CLI, 'trace', path.join(dir, 'v9.jsonl')], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^invalid trace .*v9\.jsonl:1: trace format version 9 is newer than this reader \(version 1\): update spwf04\n$/);
    r = spawnSync(process.execPath, [CLI, 'demo', '--trace'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^spwf04: --trace needs a value\n/);
  });
});
