// The build: the Espruino bundle passes the checker and only defines the library; a device source that
// uses what Espruino lacks fails the build with its file and line; the Moddable module and the Node CLI
// come out as specified.

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { spawnSync } from 'child_process';
import {
  applyEdits, buildEspruino, buildModdable, buildNode, BuildError, checkDeviceSources, deviceSources, findHelpers, mangledMemberNames, ROOT, shortMemberNames,
  toEspruinoModule, typeCheck,
} from '../../build/build.mjs';
import { checkEspruinoSyntax, checkFile, decodeSourceMap, originalPosition } from '../../build/check-espruino-syntax.mjs';

const BUNDLE = path.join(ROOT, 'build', 'out', 'espruino', 'spwf04.js');

/** A scratch directory for device sources that must fail the build. */
function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-build-'));
}

async function buildError(entry: string): Promise<BuildError> {
  try {
    await buildEspruino({ entry, write: false });
  } catch (e) {
    if (e instanceof BuildError) return e;
    throw e;
  }
  throw new Error('the build of ' + entry + ' should have failed');
}

describe('build', function () {
  this.timeout(60000);

  describe('Espruino bundle', function () {
    let built: Awaited<ReturnType<typeof buildEspruino>>;
    before(async function () {
      built = await buildEspruino();
      for (const m of built.modules) console.log('      build/out/espruino/' + m.name + '.js: ' + m.bytes + ' bytes, ' + m.gzipBytes + ' bytes gzip -9');
    });

    it('passes the Espruino syntax checker (file on disk, with its source map)', function () {
      assert.deepEqual(checkFile(BUNDLE).violations, []);
      assert.deepEqual(checkFile(BUNDLE.replace(/\.js$/, '.debug.js')).violations, []);
    });

    it('is one minified Storage module per feature, each of which only sets exports', function () {
      const names = fs.readdirSync(path.dirname(BUNDLE)).filter((f) => /\.js$/.test(f) && !/\.debug\.js$/.test(f)).sort();
      assert.deepEqual(names, built.modules.map((m) => m.name + '.js').sort());
      assert.ok(names.indexOf('spwf04.js') >= 0 && names.length > 1, names.join(' '));
      const code = fs.readFileSync(BUNDLE, 'utf8');
      assert.equal(code, built.code);
      assert.match(code, /exports\.start=[\w$]+;/);
      assert.deepEqual(built.exported.slice().sort(), ['$', 'createConnectivity', 'createHost', 'start']);
      assert.ok(code.indexOf('require("Storage")') > 0, 'require("Storage") must reach Espruino as written');
      assert.ok(code.indexOf('require("spwf04-"+') >= 0 || code.indexOf("require('spwf04-'+") >= 0, 'optional features come from Storage modules');
      // The optional modules take the core's classes and helpers from it instead of bundling copies.
      const servers = built.modules.find((m) => m.name === 'spwf04-servers')!;
      assert.ok(servers.code.indexOf('require("spwf04").$') >= 0, 'spwf04-servers takes shared code from the core');
      // (the core's stream reads a read's header: a copy of its code would carry the text)
      assert.ok(code.indexOf('"AT-S.Reading:"') >= 0, 'the core reads sockets');
      assert.ok(servers.code.indexOf('AT-S.Reading:') < 0, 'spwf04-servers has no copy of the client-socket code');
      for (const m of built.modules) {
        // Run as require() runs a Storage module (a scope of its own): it defines the exports and nothing
        // else: no global, no timer, no I/O.
        // An optional module asks the core for shared code (require("spwf04").$) when it loads.
        const core = { $: function () { return function () {}; } };
        const sandbox: any = { exports: {}, require: function (n: string) { assert.equal(n, 'spwf04', m.name); return core; } };
        vm.runInNewContext('(function(exports){' + m.code + '})(exports);', sandbox);
        assert.deepEqual(Object.keys(sandbox).sort(), ['exports', 'require'], m.name);
        assert.deepEqual(Object.keys(sandbox.exports).sort(), m.exported.slice().sort(), m.name);
      }
    });

    it('is pure ASCII: a byte 0x80-0xFF of a string reaches Espruino as an escape, never as two UTF-8 bytes', function () {
      for (const m of built.modules) {
        const bytes = fs.readFileSync(path.join(path.dirname(BUNDLE), m.name + '.js'));
        assert.ok(bytes.every((b) => b < 0x80), m.name + ' has non-ASCII bytes');
      }
      // SHA-256's padding byte, as the board must read it.
      assert.ok(built.code.indexOf('"\\x80"') >= 0 || built.code.indexOf("'\\x80'") >= 0, 'the padding byte is escaped');
    });

    it('has a source map that points into the TypeScript sources', function () {
      const map = JSON.parse(fs.readFileSync(BUNDLE + '.map', 'utf8'));
      const code = fs.readFileSync(BUNDLE, 'utf8');
      const i = code.indexOf('getTime()');
      const before = code.slice(0, i);
      const o = originalPosition(decodeSourceMap(map), before.split('\n').length, i - before.lastIndexOf('\n') - 1);
      assert.ok(o && /hosts\/espruino\/index\.ts$/.test(o.source), JSON.stringify(o));
      const line = fs.readFileSync(path.join(ROOT, 'hosts', 'espruino', 'index.ts'), 'utf8').split('\n')[o!.line - 1];
      assert.match(line, /getTime\(\)/);
    });

    it('every device source (src/, hosts/espruino) passes the checker on its own, bundled or not', async function () {
      const files = deviceSources();
      assert.ok(files.some((f) => /src[\\/]index\.ts$/.test(f)) && files.some((f) => /hosts[\\/]espruino[\\/]index\.ts$/.test(f)));
      assert.deepEqual(await checkDeviceSources(files), []);
    });

    it('contains no esbuild runtime helper', function () {
      assert.deepEqual(findHelpers(built.debugCode.replace(/^\(function\(\)\{\n/, '').replace(/\n\}\)\(\);\n$/, '')), []);
    });
  });

  describe('failures name the source file and line', function () {
    let dir: string;
    before(function () {
      dir = scratch();
    });
    after(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('syntax Espruino cannot parse (object spread)', async function () {
      const f = path.join(dir, 'spread.ts');
      fs.writeFileSync(f, 'export function start(o: any) {\n  return { ...o, a: 1 };\n}\n');
      const e = await buildError(f);
      assert.match(e.details.join('\n'), /spread\.ts:2:\d+: \[spread\]/);
    });

    it('a top-level use before the definition', async function () {
      const f = path.join(dir, 'order.ts');
      fs.writeFileSync(f, 'const x = later();\nfunction later() { return 1; }\nexport function start() { return x; }\n');
      const e = await buildError(f);
      assert.match(e.details.join('\n'), /order\.ts:1:\d+: \[use-before-define\].*later/);
    });

    it('a source checked on its own, before anything imports it', async function () {
      const f = path.join(dir, 'unbundled.ts');
      fs.writeFileSync(f, 'export const table = build();\nexport function build() { return [1]; }\nexport function g(a: number[]) { return Math.max(...a); }\n');
      const text = (await checkDeviceSources([f])).join('\n');
      assert.match(text, /unbundled\.ts:1:\d+: \[use-before-define\].*build/);
      assert.match(text, /unbundled\.ts:3:\d+: \[spread\]/);
    });

    it('a construct esbuild would only lower with a runtime helper', async function () {
      const f = path.join(dir, 'using.ts');
      fs.writeFileSync(f, 'export function start(r: any) {\n  using x = r;\n  return 1;\n}\n');
      const e = await buildError(f);
      assert.match(e.message, /runtime helper/);
      assert.match(e.details.join('\n'), /using\.ts:2:\d+: esbuild emitted the runtime helper __using/);
    });

    it('a built-in Espruino lacks, at type-check time', function () {
      const f = path.join(dir, 'map.ts');
      fs.writeFileSync(f, 'export const m = new Map<string, number>();\nexport const a = [1, 2].lastIndexOf(1);\n');
      const tsconfig = path.join(dir, 'tsconfig.json');
      fs.writeFileSync(tsconfig, JSON.stringify({
        extends: path.join(ROOT, 'tsconfig.device.json'),
        files: [path.join(ROOT, 'build', 'espruino-lib.d.ts'), f],
        include: [],
      }));
      let err: BuildError | null = null;
      try {
        typeCheck(tsconfig);
      } catch (e) {
        err = e as BuildError;
      }
      assert.ok(err instanceof BuildError);
      const text = err!.details.join('\n');
      assert.match(text, /map\.ts\(1,\d+\): error TS\d+: Cannot find name 'Map'/);
      assert.match(text, /map\.ts\(2,\d+\): error TS\d+: Property 'lastIndexOf' does not exist/);
    });

    it('the command exits non-zero with the message', function () {
      const f = path.join(dir, 'cli.mjs');
      fs.writeFileSync(f, [
        'import { buildEspruino, BuildError } from ' + JSON.stringify(path.join(ROOT, 'build', 'build.mjs')) + ';',
        'try { await buildEspruino({ entry: ' + JSON.stringify(path.join(dir, 'spread.ts')) + ', write: false }); }',
        'catch (e) { if (e instanceof BuildError) { console.error(e.details.join("\\n")); process.exit(1); } throw e; }',
      ].join('\n'));
      const r = spawnSync(process.execPath, [f], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /spread\.ts:2:\d+: \[spread\]/);
    });
  });

  describe('shortened member names (mangleProps)', function () {
    // On Espruino every property name is stored with each object and method that has it: internal member
    // names are shortened; a name the application, its options, Storage JSON or Espruino uses must not be.
    const names = new Set(mangledMemberNames());
    const declared = (file: string): string[] => {
      const out: string[] = [];
      const re = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*[(:]/gm;
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
      return out;
    };

    it('keeps every name of the application typings', function () {
      const kept = declared('types/spwf04.d.ts').concat(declared('types/espruino.d.ts'));
      assert.ok(kept.indexOf('highWater') >= 0 && kept.indexOf('ensureGood') >= 0, 'the typings were read');
      const shortened = kept.filter((n) => names.has(n));
      assert.deepEqual(shortened, [], 'public names that the device build would rename');
    });

    it('gives every shortened member a "_" name, so an application\'s own short property cannot replace one', function () {
      const cache = shortMemberNames(Array.from(names));
      const short = Object.keys(cache).map((n) => cache[n]!);
      assert.equal(new Set(short).size, short.length, 'distinct');
      for (const v of short) assert.match(v, /^_[A-Za-z0-9$]{1,2}$/);
      const core = fs.readFileSync(path.join(ROOT, 'build', 'out', 'espruino', 'spwf04.js'), 'utf8');
      const pub = declared('types/spwf04.d.ts');
      const shortOnes = (core.match(/this\.[A-Za-z$]{1,2}=/g) || []).map((m) => m.slice(5, -1)).filter((n) => pub.indexOf(n) < 0);
      assert.deepEqual(shortOnes, [], 'no member of one or two letters in the core but the API\'s own (id, ip)');
    });

    it('keeps built-in, Espruino and emitter names, and shortens internal members', function () {
      for (const n of ['length', 'indexOf', 'setup', 'emit', 'then', 'message', 'code']) assert.ok(!names.has(n), n);
      for (const n of ['recovery', 'recoverySuspended', 'softReset', 'initModule']) assert.ok(names.has(n), n + ' is internal');
    });
  });

  describe('bundle post-processing', function () {
    it('renames a variable called `of` (reserved by Espruino\'s lexer) and keeps property names', function () {
      const r = toEspruinoModule('var of=1;function f(of){return{of,x:of.y,of:2}}\nexport{of as x,f};', null);
      assert.deepEqual(checkEspruinoSyntax(r.code).violations, []);
      const sandbox: any = { exports: {} };
      vm.runInNewContext(r.code, sandbox);
      assert.equal(sandbox.exports.x, 1);
      assert.equal(JSON.stringify(sandbox.exports.f({ y: 3 })), '{"of":2,"x":3}');
    });

    it('keeps the source map exact through edits', function () {
      // "aa bb" with one segment per word: line 0 col 0 -> src 0:0, col 3 -> src 0:3.
      const map = { version: 3, sources: ['s.ts'], names: [], mappings: 'AAAA,GAAG' };
      const r = applyEdits('aa bb', map, [{ start: 0, end: 2, text: 'longer' }]);
      assert.equal(r.code, 'longer bb');
      const o = originalPosition(decodeSourceMap(r.map), 1, 7);
      assert.deepEqual(o, { source: 's.ts', line: 1, column: 3 });
    });
  });

  describe('Moddable module', function () {
    it('is an ES module that imports the Moddable runtime and exports start', async function () {
      const dir = scratch();
      try {
        await buildModdable({ outDir: dir });
        const code = fs.readFileSync(path.join(dir, 'spwf04.js'), 'utf8');
        for (const m of ['embedded:io/serial', 'embedded:io/digital', 'timer', 'time', 'preference']) {
          assert.match(code, new RegExp('from "' + m + '"'), 'import of ' + m);
        }
        assert.match(code, /export \{[^}]*\bstart\b[^}]*\}/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('is named by manifest.json, with no TypeScript section', function () {
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
      assert.equal(manifest.modules.spwf04, './build/out/moddable/spwf04');
      assert.equal(manifest.typescript, undefined);
      assert.ok(manifest.include.some((i: string) => /modules\/io\/manifest\.json$/.test(i)));
    });
  });

  describe('Node CLI', function () {
    it('is a CommonJS bundle with a shebang that runs', async function () {
      if (!fs.existsSync(path.join(ROOT, 'hosts', 'node', 'cli.ts'))) this.skip();
      const dir = scratch();
      try {
        const outfile = path.join(dir, 'spwf04.js');
        await buildNode({ outfile });
        const code = fs.readFileSync(outfile, 'utf8');
        assert.ok(code.startsWith('#!/usr/bin/env node\n'));
        assert.ok((fs.statSync(outfile).mode & 0o111) !== 0, 'executable');
        const r = spawnSync(process.execPath, [outfile, 'help'], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout + r.stderr, /usage/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
