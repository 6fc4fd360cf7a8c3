// src/certs runs on the device: every file passes the build's Espruino checks, the bundle needs no
// esbuild helper, and the code gives the same results in QuickJS with the built-ins Espruino lacks
// deleted (Map, Set, Array.from, Date.UTC, Number.isInteger, atob, TextDecoder, …).

import { strict as assert } from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { getQuickJS } from 'quickjs-emscripten';
import { checkItem } from '../../src/certs/check';
import { parsePem } from '../../src/certs/der';
import { sha256Hex } from '../../src/certs/sha256';
import { parseCertificate } from '../../src/certs/x509';
import { Pki, pki } from './pki';

const ROOT = path.join(__dirname, '..', '..');
const BUILD = path.join(ROOT, 'build', 'build.mjs');
const CHECKER = path.join(ROOT, 'build', 'check-espruino-syntax.mjs');

/** Deleted before the bundle runs (../shared/espruino-language.md). */
const PRELUDE = `(function (g) {
  function del(o, names) { for (var i = 0; i < names.length; i++) { try { delete o[names[i]]; } catch (e) {} } }
  del(g, ['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Symbol', 'Proxy', 'Reflect', 'BigInt', 'TextEncoder', 'TextDecoder',
    'queueMicrotask', 'setImmediate', 'structuredClone', 'Intl', 'RangeError', 'URIError', 'EvalError', 'atob', 'btoa']);
  del(Array, ['from', 'of']);
  del(Object, ['freeze', 'isFrozen', 'seal', 'is', 'hasOwn']);
  del(Number, ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseInt', 'parseFloat', 'MAX_SAFE_INTEGER', 'EPSILON']);
  del(Math, ['trunc', 'imul', 'clz32', 'hypot', 'cbrt', 'log2', 'log10', 'fround', 'expm1', 'sinh']);
  del(Date, ['UTC']);
  del(String, ['raw', 'fromCodePoint']);
  del(Array.prototype, ['lastIndexOf', 'findLast', 'findLastIndex', 'reduceRight', 'flat', 'flatMap', 'keys', 'values', 'entries', 'at', 'copyWithin']);
  del(String.prototype, ['codePointAt', 'trimStart', 'trimEnd', 'matchAll', 'search', 'at', 'localeCompare', 'normalize']);
  var TA = Object.getPrototypeOf(Uint8Array);
  del(TA, ['from', 'of']);
  del(TA.prototype, ['lastIndexOf', 'copyWithin', 'at']);
  var split = String.prototype.split;
  String.prototype.split = function (sep) { return split.call(this, sep); };
})(globalThis);
`;

const SCENARIO = `(function (input) {
  var C = Certs;
  var files = {};
  var flash = {
    read: function (n) { return files[n]; },
    write: function (n, d) { files[n] = d; return true; },
    erase: function (n) { delete files[n]; },
    list: function (p) { return Object.keys(files).filter(function (n) { return n.indexOf(p) === 0; }); },
  };
  var der = C.parsePem(input.pem)[0].der;
  var cert = C.parseCertificate(der);
  var store = new C.CertStore(flash);
  var put = store.put('tls-ca', input.pem);
  var got = store.get('tls-ca');
  var res = C.checkItem(input.pem, 'tls-ca', { now: input.now, host: 'CA domain' });
  var key = C.checkItem(input.key, 'tls-key');
  return JSON.stringify({
    sha: C.sha256Hex(der),
    cert: cert,
    put: put.ok, same: got.ok && got.bytes === input.pem, hash: got.hash,
    check: { ok: res.ok, problems: res.problems, warnings: res.warnings, validity: res.info.validity },
    key: { ok: key.ok, problems: key.problems, curve: key.info.key && key.info.key.curve },
    b64: C.base64Decode('aGVs bG8=')
  });
})`;

describe('certs: in the Espruino subset', function () {
  let p: Pki;
  before(function () {
    this.timeout(60000);
    p = pki();
  });

  it('every file passes the build\'s per-file Espruino check, without warnings', async function () {
    if (!fs.existsSync(BUILD)) this.skip();
    const build: any = await import(BUILD);
    if (typeof build.checkDeviceSources !== 'function') this.skip();
    const warnings: string[] = [];
    const files = build.deviceSources(['src/certs']);
    assert.ok(files.length >= 7);
    assert.deepEqual(await build.checkDeviceSources(files, warnings), []);
    assert.deepEqual(warnings, []);
  });

  it('the bundled module passes the syntax checker and uses no esbuild helper', async function () {
    if (!fs.existsSync(BUILD) || !fs.existsSync(CHECKER)) this.skip();
    const build: any = await import(BUILD);
    const checker: any = await import(CHECKER);
    const r = await esbuild.build({
      absWorkingDir: ROOT, entryPoints: ['src/certs/index.ts'], bundle: true, write: false, format: 'esm', platform: 'neutral',
      target: 'es2017', supported: build.ESPRUINO_SUPPORTED, minify: true, charset: 'ascii', sourcemap: 'external',
      outfile: path.join(ROOT, '.tmp', 'certs.js'), tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    });
    const js = r.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
    const map = JSON.parse(r.outputFiles.find((f) => f.path.endsWith('.map'))!.text);
    const mod = build.toEspruinoModule(js, map);
    assert.deepEqual(build.findHelpers(mod.code), []);
    const res = checker.checkEspruinoSyntax(mod.code, { sourceMap: mod.map });
    assert.deepEqual(res.violations.map((v: any) => checker.formatViolation(v, 'certs.js')), []);
  });

  it('QuickJS without the built-ins Espruino lacks: same results as Node', async function () {
    this.timeout(30000);
    const bundle = await esbuild.build({
      absWorkingDir: ROOT, entryPoints: ['src/certs/index.ts'], bundle: true, write: false, format: 'iife', globalName: 'Certs',
      target: 'es2017', supported: { 'class-field': false }, tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    });
    const input = { pem: p.read('prime256v1-ca.pem'), key: p.read('prime256v1-server-pkcs8.key'), now: Date.UTC(2200, 0, 1) / 1000 };
    const QuickJS = await getQuickJS();
    const rt = QuickJS.newRuntime();
    rt.setMemoryLimit(4 * 1024 * 1024);
    const vm = rt.newContext();
    let out: any;
    try {
      vm.unwrapResult(vm.evalCode(PRELUDE)).dispose();
      vm.unwrapResult(vm.evalCode(bundle.outputFiles[0].text)).dispose();
      const h = vm.unwrapResult(vm.evalCode(SCENARIO + '(' + JSON.stringify(input) + ')'));
      out = JSON.parse(vm.getString(h));
      h.dispose();
    } finally {
      vm.dispose();
      rt.dispose();
    }
    const der = parsePem(input.pem)[0].der;
    assert.equal(out.sha, sha256Hex(der));
    assert.deepEqual(out.cert, JSON.parse(JSON.stringify(parseCertificate(der))));
    assert.equal(out.put, true);
    assert.equal(out.same, true);
    assert.equal(out.hash, sha256Hex(input.pem));
    const res = checkItem(input.pem, 'tls-ca', { now: input.now, host: 'CA domain' });
    assert.deepEqual(out.check, { ok: res.ok, problems: res.problems, warnings: res.warnings, validity: res.info.validity });
    assert.match(out.check.problems.join('\n'), /expired on/);
    assert.equal(out.key.ok, false);
    assert.match(out.key.problems[0], /PKCS#8/);
    assert.equal(out.key.curve, 'prime256v1');
    assert.equal(out.b64, 'hello');
  });
});
