import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The README stands alone and cannot rot: its example code blocks are the example files (checked here
// byte for byte), its FOTA walkthrough runs as written, and the paths it names are in the repository.

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CLI = path.join(ROOT, 'build', 'out', 'spwf04.js');

/** The code block that follows `<!-- readme-test: <tag> -->`. */
function blockAfter(tag: string): string {
  const at = README.indexOf('<!-- readme-test: ' + tag + ' -->');
  assert.ok(at >= 0, 'README has no block marked ' + tag);
  const m = /```[a-z]*\n([\s\S]*?)\n```/.exec(README.substring(at));
  assert.ok(m, 'no code block after the ' + tag + ' marker');
  return m![1]!;
}

describe('README', () => {
  it('starts with the two commands a newcomer runs', () => {
    const first = /```sh\n([\s\S]*?)\n```/.exec(README)![1]!.split('\n');
    assert.match(first[0]!, /^npm ci && npm start /);
    assert.match(first[1]!, /^npm ci && npm test /);
  });

  it('shows examples/espruino/app.js exactly as it is', () => {
    assert.equal(blockAfter('file examples/espruino/app.js'), fs.readFileSync(path.join(ROOT, 'examples', 'espruino', 'app.js'), 'utf8').replace(/\n$/, ''));
  });

  it('names only paths that are in the repository (what lives outside is marked optional)', () => {
    const named = README.match(/`((?:src|hosts|test|build|examples|types|docs|\.ci)\/[^`\s]*)`/g) || [];
    assert.ok(named.length > 5);
    for (const quoted of named) {
      const p = quoted.slice(1, -1).replace(/\/$/, '');
      if (p.startsWith('build/out')) continue; // made by npm run build
      assert.ok(fs.existsSync(path.join(ROOT, p)), p + ' is named in the README but is not in the repository');
    }
    for (const line of README.split('\n')) {
      if (line.includes('../shared')) assert.match(line, /optional/, 'a path outside the repository that is not marked optional: ' + line);
    }
    for (const f of ['LICENSE', 'CHANGELOG.md']) assert.ok(fs.existsSync(path.join(ROOT, f)), f);
  });

  it('its FOTA walkthrough runs as written, in an empty folder (needs the build and openssl)', function () {
    this.timeout(30000);
    if (!fs.existsSync(CLI)) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-readme-'));
    try {
      const script = blockAfter('ota').split('node build/out/spwf04.js').join(JSON.stringify(process.execPath) + ' ' + JSON.stringify(CLI));
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8' });
      assert.match(out, /^verify: OK$/m, out);
      assert.match(fs.readFileSync(path.join(dir, 'key.hex'), 'utf8'), /^[0-9a-f]{32}\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
