// `npm run bench` keeps working: the benchmark script (run.ts + engine-bench.js) runs on the real engine
// with tiny counts and prints a figure for every stream, and a ratio for each when Espruino's AT module is
// there. Behaviour only: no speed is asserted here (the benchmark itself is the proof of speed).

import { strict as assert } from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describeDevice, ROOT } from '../device/harness';

const AT_MODULE = path.join(ROOT, '..', 'shared', 'anchors', 'espruino-AT.js');

function runBench(args: string[], env?: { [name: string]: string }): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'run.ts')].concat(args), {
      cwd: ROOT, env: Object.assign({}, process.env, env || {}),
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('close', (code) => resolve({ code, out }));
  });
}

describeDevice('the ingress benchmark on the real engine (npm run bench)', function () {
  this.timeout(180000);

  it('completes with tiny counts and prints every stream, and a ratio per stream beside the AT module', async () => {
    const r = await runBench(['--runs', '1', '--lines', '24', '--reads', '2', '--timeout', '60']);
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /not found|Uncaught|did not finish|not reachable/, r.out);
    for (const stream of ['+WIND stream, our whole layer', '+WIND stream, our engine alone', '730-byte reads, our layer']) {
      assert.match(r.out, new RegExp(stream.replace(/[+]/g, '\\+') + '.*median [\\d,]+ ', 'm'), stream + ' missing:\n' + r.out);
    }
    if (fs.existsSync(AT_MODULE)) {
      assert.match(r.out, /\+WIND stream, AT module .*median [\d,]+ /, r.out);
      assert.match(r.out, /730-byte reads, AT module .*median [\d,]+ /, r.out);
      assert.match(r.out,
        /ratio ours\/AT per run.*\+WIND whole layer \d+\.\d\d \(.*\+WIND engine alone \d+\.\d\d \(.*socket reads \d+\.\d\d \(/, r.out);
    }
  });

  it('counts instructions instead of time with --count: a figure per stream, and the ratios', async function () {
    if (spawnSync(process.env.BENCH_VALGRIND || 'valgrind', ['--version']).status !== 0) {
      console.log('      (valgrind not installed: --count not tried; .ci/run installs it)');
      this.skip();
    }
    const r = await runBench(['--count', '--lines', '24', '--reads', '4', '--timeout', '100']);
    assert.equal(r.code, 0, r.out);
    for (const stream of ['+WIND stream, our whole layer', '+WIND stream, our engine alone', '730-byte reads, our layer']) {
      assert.match(r.out, new RegExp(stream.replace(/[+]/g, '\\+') + ' +[\\d,]+ thousand instructions per (line|read)', 'm'), stream + ' missing:\n' + r.out);
    }
    if (fs.existsSync(AT_MODULE)) {
      assert.match(r.out, /ratio AT\/ours \(instructions.*\+WIND whole layer \d+\.\d\d, \+WIND engine alone \d+\.\d\d, socket reads \d+\.\d\d/, r.out);
    }
  });

  it('--count without valgrind says what it needs on stderr and exits with 2', async () => {
    const r = await runBench(['--count'], { BENCH_VALGRIND: path.join(ROOT, 'no-such-valgrind') });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /--count needs valgrind \(apt-get install valgrind/);
  });
});
