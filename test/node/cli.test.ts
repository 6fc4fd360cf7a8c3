import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../hosts/node/cli';
import { capture } from '../helpers/cli-capture';

// The command line's conventions, through main() and through the built executable as a user runs it:
// --help/-h to stdout with status 0; a usage error as one line and the usage on stderr, status 2; a
// failure on stderr, status 1; never a stack trace.

const BIN = path.join(__dirname, '..', '..', 'build', 'out', 'spwf04.js');
const COMMANDS = ['demo', 'sim', 'cert', 'ota', 'flash'];

describe('spwf04: the command line conventions', () => {
  it('--help, -h and help print the usage with every command to stdout, exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const c = capture();
      assert.equal(await main(args, c.io), 0);
      const text = c.out.join('\n');
      assert.match(text, /^usage: spwf04 <command>/);
      for (const name of COMMANDS) assert.match(text, new RegExp('^  ' + name + ' ', 'm'), name);
      assert.deepEqual(c.err, []);
    }
  });

  it('every command answers --help and -h on stdout with its own usage, exit 0', async () => {
    for (const name of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const c = capture();
        assert.equal(await main([name, flag], c.io), 0, name + ' ' + flag);
        assert.match(c.out.join('\n'), new RegExp('^usage: spwf04 ' + name), name);
        assert.deepEqual(c.err, []);
      }
    }
  });

  it('no command, an unknown command or an unknown option: one line naming it, the usage on stderr, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [[], 'spwf04: which command?'],
      [['frob'], 'spwf04: unknown command: frob'],
      [['--frob'], 'spwf04: unknown option: --frob'],
    ];
    for (const [args, line] of cases) {
      const c = capture();
      assert.equal(await main(args, c.io), 2);
      assert.equal(c.err[0], line);
      assert.equal(c.err[1], '');
      assert.match(c.err[2]!, /^usage: spwf04 <command>/);
      assert.deepEqual(c.out, []);
    }
  });

  it('an unexpected error in a command is one line on stderr and status 1, not a stack trace', async () => {
    const err: string[] = [];
    const io = { out: () => { throw new TypeError('boom\n    at somewhere (file.js:1:1)'); }, err: (l: string) => err.push(l) };
    assert.equal(await main(['demo', '--help'], io), 1);
    assert.deepEqual(err, ['spwf04 demo: boom']);
  });

  describe('the built executable (build/out/spwf04.js)', () => {
    before(function () {
      if (!fs.existsSync(BIN)) this.skip(); // npm test builds it first
    });

    function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
      const r = spawnSync(process.execPath, [BIN].concat(args), { encoding: 'utf8', timeout: 20000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    it('-h: usage on stdout, exit 0; demo --chunk -5 / abc / 0: one line on stderr naming --chunk, exit 2', () => {
      const help = run('-h');
      assert.equal(help.status, 0);
      assert.match(help.stdout, /^usage: spwf04/);
      assert.equal(help.stderr, '');
      for (const bad of [['--chunk', 'abc'], ['--chunk', '0'], ['--chunk=-5'], ['--chunk', '-5']]) {
        const r = run('demo', ...bad);
        assert.equal(r.status, 2, bad.join(' '));
        assert.match(r.stderr.split('\n')[0]!, /^spwf04: --chunk /);
        assert.equal(r.stdout, '');
        assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
      }
    });

    it('a failure: cert list on a corrupt image names the file on stderr, exit 1, no stack trace', () => {
      const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'spwf-cli-'));
      try {
        const image = path.join(dir, 'flash.json');
        fs.writeFileSync(image, 'not json');
        const r = run('cert', 'list', '--store', image);
        assert.equal(r.status, 1);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.ok(r.stderr.startsWith(image + ': not a host-flash image'), r.stderr);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
